using System.Collections;
using System.Globalization;
using System.Text.Json.Nodes;
using Course.Visualization;
using Microsoft.DotNet.Interactive.Formatting;
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
        Figure figure => Chart(figure),
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

    /// <summary>The figure's own bundle (Plotly JSON, SVG, text) from the formatting package; the Plotly entry
    /// goes in as JSON, as nbformat keeps JSON MIME types.</summary>
    private static JsonObject Chart(Figure figure) =>
        new(FormattedValue.CreateManyFromObject(figure).Select(v =>
            KeyValuePair.Create(v.MimeType, v.MimeType == PlotlyMime ? JsonNode.Parse(v.Value) : (JsonNode?)v.Value)));
}
