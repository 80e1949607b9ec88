using System.Globalization;
using System.Text.Json.Nodes;

namespace Course.Visualization;

/// <summary>A <see cref="Figure"/> as plotly.js's figure JSON, compact: numbers to 6 significant digits, and null
/// (Plotly's gap) for NaN and infinities, which JSON cannot hold.</summary>
internal static class PlotlyJson
{
    public static JsonObject Of(Figure figure)
    {
        var heatmap = figure.Traces.OfType<HeatmapTrace>().FirstOrDefault();
        var layout = new JsonObject();
        if (figure.Title.Length > 0) layout["title"] = new JsonObject { ["text"] = figure.Title };
        layout["xaxis"] = Axis(figure.XAxis, categorical: figure.Traces.OfType<XYTrace>().Any(t => t.IsCategorical));
        layout["yaxis"] = Axis(figure.YAxis, categorical: false);
        if (heatmap is not null)
        {
            Label(layout["xaxis"]!.AsObject(), heatmap.X);
            Label(layout["yaxis"]!.AsObject(), heatmap.Y);
            layout["yaxis"]!["autorange"] = "reversed";
        }
        if (figure.Traces.Count(t => t is BarTrace) > 1) layout["barmode"] = "group";
        layout["showlegend"] = figure.LegendTraces.Count > 0;
        return new JsonObject
        {
            ["data"] = new JsonArray([.. figure.Traces.Select(Trace)]),
            ["layout"] = layout,
        };
    }

    private static JsonObject Axis(Axis axis, bool categorical)
    {
        var json = new JsonObject();
        if (axis.Title.Length > 0) json["title"] = new JsonObject { ["text"] = axis.Title };
        // Said outright: left to guess, plotly.js reads labels such as "1", "2" as numbers and "2024-01" as dates.
        if (categorical) json["type"] = "category";
        else if (axis.Log) json["type"] = "log";
        return json;
    }

    private static JsonObject Trace(Trace trace) => trace switch
    {
        ScatterTrace s => Scatter(s),
        BarTrace b => Bar(b),
        HeatmapTrace h => Heatmap(h),
        _ => throw new InvalidOperationException($"No Plotly form for {trace.GetType().Name}."),
    };

    private static JsonObject Scatter(ScatterTrace trace)
    {
        var json = XY(trace, "scatter");
        json["mode"] = trace.Mode;
        if (trace.Opacity < 1) json["opacity"] = Number(trace.Opacity);
        return json;
    }

    private static JsonObject Bar(BarTrace trace)
    {
        var json = XY(trace, "bar");
        if (trace.Text is { } text)
        {
            json["text"] = Strings(text);
            json["textposition"] = "outside";
            json["cliponaxis"] = false;
        }
        return json;
    }

    private static JsonObject XY(XYTrace trace, string type)
    {
        var json = new JsonObject
        {
            ["type"] = type,
            ["x"] = trace.Categories is { } labels ? Strings(labels) : Numbers(trace.X!),
            ["y"] = Numbers(trace.Y),
        };
        if (trace.Name is { } name) json["name"] = name;
        else json["showlegend"] = false;
        return json;
    }

    /// <summary>Labels beyond this many would overlap; a longer axis labels every n-th row or column.</summary>
    private const int MaxTickLabels = 40;

    /// <summary>A heatmap's rows and columns are placed by index and labelled with tick text, not placed by label
    /// on a category axis: plotly.js merges equal labels into one category (a sentence's two "the" tokens would
    /// share a row) and loses labels named like JavaScript's object properties ("constructor").</summary>
    private static void Label(JsonObject axis, IReadOnlyList<string> labels)
    {
        var every = Math.Max(1, (labels.Count + MaxTickLabels - 1) / MaxTickLabels);
        var shown = Enumerable.Range(0, labels.Count).Where(i => i % every == 0).ToList();
        axis["tickmode"] = "array";
        axis["tickvals"] = new JsonArray([.. shown.Select(i => JsonValue.Create(i))]);
        axis["ticktext"] = new JsonArray([.. shown.Select(i => JsonValue.Create(labels[i]))]);
        axis["showgrid"] = false;
        axis["zeroline"] = false;
    }

    private static JsonObject Heatmap(HeatmapTrace h)
    {
        var json = new JsonObject
        {
            ["type"] = "heatmap",
            ["z"] = new JsonArray([.. Enumerable.Range(0, h.Rows).Select(i => Numbers(Enumerable.Range(0, h.Columns).Select(j => h.Z[i, j]).ToList()))]),
            ["colorscale"] = ColorScale.Name,
        };
        if (h.Text is { } text)
        {
            json["text"] = new JsonArray([.. Enumerable.Range(0, h.Rows).Select(i => Strings(Enumerable.Range(0, h.Columns).Select(j => text[i, j]).ToList()))]);
            json["texttemplate"] = "%{text}";
        }
        return json;
    }

    private static JsonArray Strings(IReadOnlyList<string> values) => new([.. values.Select(v => JsonValue.Create(v))]);

    private static JsonArray Numbers(IReadOnlyList<double> values) => new([.. values.Select(Number)]);

    /// <summary>Rounded to 6 significant digits: the precision of a chart, and a third of the characters of a full double.</summary>
    private static JsonNode? Number(double value) =>
        double.IsFinite(value) ? JsonValue.Create(double.Parse(value.ToString("G6", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture)) : null;
}
