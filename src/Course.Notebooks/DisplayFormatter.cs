using System.Collections;
using System.Globalization;
using System.Text.Json.Nodes;
using Plotly.NET;
using TorchSharp;

namespace Course.Notebooks;

/// <summary>
/// Turns a displayed value into an nbformat MIME bundle. text/plain is always present so every front end (and
/// a terminal reading the JSON) shows something; richer types add what Jupyter and GitHub render.
/// </summary>
internal static class DisplayFormatter
{
    public const string PlotlyMime = "application/vnd.plotly.v1+json";

    /// <summary>Tensors bigger than this show their shape and a hint instead of every value.</summary>
    private const long MaxTensorElementsShown = 2_000;

    private const int MaxSequenceItemsShown = 100;

    public static JsonObject Format(object? value) => value switch
    {
        null => Plain("null"),
        torch.Tensor tensor => Plain(Describe(tensor)),
        GenericChart chart => Chart(chart),
        HtmlContent html => new JsonObject { ["text/plain"] = html.Markup, ["text/html"] = html.Markup },
        string text => Plain(text),
        IFormattable formattable => Plain(formattable.ToString(null, CultureInfo.InvariantCulture)),
        IEnumerable sequence => Plain(Describe(sequence)),
        _ => Plain(value.ToString() ?? value.GetType().FullName!),
    };

    private static JsonObject Plain(string text) => new() { ["text/plain"] = text };

    private static string Describe(torch.Tensor tensor)
    {
        var header = $"tensor of shape [{string.Join(", ", tensor.shape)}], {tensor.dtype}, on {tensor.device}";
        if (tensor.numel() > MaxTensorElementsShown)
            return $"{header}\n({tensor.numel()} values not shown; display a slice such as t[..4] to see some)";
        return $"{header}\n{tensor.ToString(TensorStringStyle.Numpy, cultureInfo: CultureInfo.InvariantCulture)}";
    }

    private static string Describe(IEnumerable sequence)
    {
        var items = sequence.Cast<object?>().Take(MaxSequenceItemsShown + 1).Select(i => i?.ToString() ?? "null").ToList();
        var more = items.Count > MaxSequenceItemsShown ? ", ..." : "";
        return $"[{string.Join(", ", items.Take(MaxSequenceItemsShown))}{more}]";
    }

    /// <summary>The figure JSON for Jupyter's plotly renderer and a self-contained HTML snippet for front ends
    /// that render HTML (Polyglot Notebooks, nbviewer); the snippet loads plotly.js from its CDN if absent.</summary>
    private static JsonObject Chart(GenericChart chart)
    {
        var figureJson = GenericChart.toFigureJson(chart);
        var id = $"plotly-{Guid.NewGuid():N}";
        var html = $$"""
            <div id="{{id}}"></div>
            <script type="text/javascript">
            (function () {
              var figure = {{figureJson}};
              function draw() { Plotly.newPlot('{{id}}', figure.data, figure.layout, { responsive: true }); }
              if (window.Plotly) { draw(); return; }
              var script = document.createElement('script');
              script.src = 'https://cdn.plot.ly/plotly-{{Globals.PLOTLYJS_VERSION}}.min.js';
              script.onload = draw;
              document.head.appendChild(script);
            })();
            </script>
            """;
        return new JsonObject
        {
            ["text/plain"] = "Plotly chart (rendered by Jupyter, Polyglot Notebooks or a browser)",
            ["text/html"] = html,
            [PlotlyMime] = JsonNode.Parse(figureJson),
        };
    }
}
