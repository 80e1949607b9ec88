using System.Numerics;
using System.Text.Json.Nodes;
using Microsoft.DotNet.Interactive.Formatting;

namespace Course.Visualization;

/// <summary>
/// A chart: a title, two axes and traces (lines, markers, bars or one heatmap). It renders itself twice, as
/// Plotly's figure JSON (interactive in JupyterLab and VS Code) and as a static SVG (shown where scripts are not:
/// GitHub, nbviewer, a file viewer); notebooks display both in one output.
/// <code>
/// new Figure("Softmax saturation", x: "d_k", y: "largest weight")
///     .Line(dims, unscaled, "softmax(q·k)", markers: true)
///     .Line(dims, scaled, "softmax(q·k / √d_k)", markers: true)
/// </code>
/// </summary>
[TypeFormatterSource(typeof(FigureFormatters), PreferredMimeTypes = [PlotlyMimeType, SvgMimeType, "text/plain"])]
public sealed class Figure(string title = "", string x = "", string y = "")
{
    public const string PlotlyMimeType = "application/vnd.plotly.v1+json";
    public const string SvgMimeType = "image/svg+xml";

    private readonly List<Trace> _traces = [];

    public string Title { get; } = title;
    internal Axis XAxis { get; private set; } = new(x, Log: false);
    internal Axis YAxis { get; private set; } = new(y, Log: false);
    internal IReadOnlyList<Trace> Traces => _traces;

    /// <summary>The traces a legend lists: the named ones with something to show, when there are two or more (one
    /// needs no legend). plotly.js, too, leaves a trace without points out.</summary>
    internal IReadOnlyList<XYTrace> LegendTraces =>
        _traces.OfType<XYTrace>().Where(t => t.Name is not null && t.FinitePoints().Any()).ToList() is { Count: > 1 } named ? named : [];

    /// <summary>A line through (x, y); <paramref name="markers"/> also marks each point.</summary>
    public Figure Line<TX, TY>(IEnumerable<TX> x, IEnumerable<TY> y, string? name = null, bool markers = false, double opacity = 1)
        where TX : INumberBase<TX> where TY : INumberBase<TY> =>
        Add(new ScatterTrace(name, Numbers(x), null, Numbers(y), Lines: true, markers, CheckOpacity(opacity)));

    /// <summary>A line through one point per category label.</summary>
    public Figure Line<TY>(IEnumerable<string> x, IEnumerable<TY> y, string? name = null, bool markers = false, double opacity = 1)
        where TY : INumberBase<TY> =>
        Add(new ScatterTrace(name, null, x.ToList(), Numbers(y), Lines: true, markers, CheckOpacity(opacity)));

    /// <summary>Markers only, no line.</summary>
    public Figure Scatter<TX, TY>(IEnumerable<TX> x, IEnumerable<TY> y, string? name = null, double opacity = 1)
        where TX : INumberBase<TX> where TY : INumberBase<TY> =>
        Add(new ScatterTrace(name, Numbers(x), null, Numbers(y), Lines: false, Markers: true, CheckOpacity(opacity)));

    public Figure Scatter<TY>(IEnumerable<string> x, IEnumerable<TY> y, string? name = null, double opacity = 1)
        where TY : INumberBase<TY> =>
        Add(new ScatterTrace(name, null, x.ToList(), Numbers(y), Lines: false, Markers: true, CheckOpacity(opacity)));

    /// <summary>A column from zero to each y, with an optional label above each column. Several bar traces stand
    /// side by side (Plotly's barmode "group").</summary>
    public Figure Bar<TY>(IEnumerable<string> x, IEnumerable<TY> y, string? name = null, IEnumerable<string>? text = null)
        where TY : INumberBase<TY> =>
        Add(new BarTrace(name, null, x.ToList(), Numbers(y), text?.ToList()));

    public Figure Bar<TX, TY>(IEnumerable<TX> x, IEnumerable<TY> y, string? name = null, IEnumerable<string>? text = null)
        where TX : INumberBase<TX> where TY : INumberBase<TY> =>
        Add(new BarTrace(name, Numbers(x), null, Numbers(y), text?.ToList()));

    /// <summary>
    /// A grid of values, z[row, column], on a sequential colour scale with a colour bar. Row 0 is drawn on top, as
    /// a matrix is written. <paramref name="x"/> labels the columns and <paramref name="y"/> the rows (default: their
    /// indices); <paramref name="text"/> writes a label in each cell, such as a confusion matrix's counts.
    /// </summary>
    public Figure Heatmap<TZ>(TZ[,] z, IReadOnlyList<string>? x = null, IReadOnlyList<string>? y = null, string[,]? text = null)
        where TZ : INumberBase<TZ>
    {
        var (rows, columns) = (z.GetLength(0), z.GetLength(1));
        var values = new double[rows, columns];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < columns; j++)
                values[i, j] = double.CreateSaturating(z[i, j]);
        x ??= Enumerable.Range(0, columns).Select(j => j.ToString()).ToList();
        y ??= Enumerable.Range(0, rows).Select(i => i.ToString()).ToList();
        if (x.Count != columns || y.Count != rows)
            throw new ArgumentException($"The heatmap has {rows} rows and {columns} columns but {y.Count} row labels (y) and {x.Count} column labels (x); give one label per row and per column.");
        if (text is not null && (text.GetLength(0) != rows || text.GetLength(1) != columns))
            throw new ArgumentException($"The cell text is {text.GetLength(0)}×{text.GetLength(1)} but the heatmap is {rows}×{columns}; give one text per cell.");
        return Add(new HeatmapTrace(values, x, y, text));
    }

    /// <summary>A logarithmic x axis (every x must be positive).</summary>
    public Figure LogX()
    {
        CheckLogAxes(_traces, XAxis with { Log = true }, YAxis);
        XAxis = XAxis with { Log = true };
        return this;
    }

    /// <summary>A logarithmic y axis (every y must be positive).</summary>
    public Figure LogY()
    {
        CheckLogAxes(_traces, XAxis, YAxis with { Log = true });
        YAxis = YAxis with { Log = true };
        return this;
    }

    /// <summary>The figure as plotly.js takes it: {"data": [...], "layout": {...}}.</summary>
    public JsonObject ToPlotlyJson() => PlotlyJson.Of(this);

    /// <summary>A self-contained static picture of the figure: no scripts, fonts or links.</summary>
    public string ToSvg(int width = SvgFigure.DefaultWidth, int height = SvgFigure.DefaultHeight) => SvgFigure.Render(this, width, height);

    public void SaveSvg(string path, int width = SvgFigure.DefaultWidth, int height = SvgFigure.DefaultHeight) =>
        File.WriteAllText(path, ToSvg(width, height));

    /// <summary>A web page that shows the SVG at once, offline too, and swaps in the interactive chart when
    /// plotly.js loads from its CDN.</summary>
    public void SaveHtml(string path) => File.WriteAllText(path, FigurePage.Html(this));

    public override string ToString()
    {
        var kinds = string.Join(", ", _traces.Select(t => t switch
        {
            ScatterTrace { Lines: true } => "line",
            ScatterTrace => "scatter",
            BarTrace => "bar",
            _ => "heatmap",
        }));
        return $"Figure \"{Title}\" with {_traces.Count} trace{(_traces.Count == 1 ? "" : "s")}{(kinds.Length > 0 ? $" ({kinds})" : "")}";
    }

    private Figure Add(Trace trace)
    {
        if (_traces.Count > 0 && (trace is HeatmapTrace || _traces[0] is HeatmapTrace))
            throw new ArgumentException("A heatmap takes a figure of its own; draw it in a new Figure.");
        if (trace is XYTrace xy)
        {
            var xCount = xy.X?.Count ?? xy.Categories!.Count;
            if (xCount != xy.Y.Count)
                throw new ArgumentException($"x has {xCount} values but y has {xy.Y.Count}; give one x per y.");
            if (xy is BarTrace { Text: { } text } && text.Count != xy.Y.Count)
                throw new ArgumentException($"The bars have {xy.Y.Count} values but {text.Count} texts; give one text per bar.");
            if (_traces.OfType<XYTrace>().FirstOrDefault() is { } first && first.IsCategorical != xy.IsCategorical)
                throw new ArgumentException("One figure cannot mix category labels and numbers on x; give every trace labels, or every trace numbers.");
        }
        CheckLogAxes([.. _traces, trace], XAxis, YAxis);
        _traces.Add(trace);
        return this;
    }

    /// <summary>Refuses what a log axis cannot show, naming the fix, at the call that would make the figure invalid
    /// (the figure stays as it was).</summary>
    private static void CheckLogAxes(IReadOnlyList<Trace> traces, Axis x, Axis y)
    {
        if ((x.Log || y.Log) && traces.Any(t => t is HeatmapTrace))
            throw new ArgumentException("A heatmap's axes are labels, which cannot be logarithmic; remove LogX()/LogY(), or take the logarithm of the values.");
        foreach (var trace in traces.OfType<XYTrace>())
        {
            if (x.Log && trace.IsCategorical)
                throw new ArgumentException("The x axis holds category labels, which cannot be logarithmic; remove LogX().");
            CheckPositive(trace, trace.X, "x", x.Log, "LogX()");
            CheckPositive(trace, trace.Y, "y", y.Log, "LogY()");
        }
    }

    private static void CheckPositive(XYTrace trace, IReadOnlyList<double>? values, string axis, bool log, string call)
    {
        if (!log || values is null) return;
        var index = values.ToList().FindIndex(v => v <= 0);
        if (index >= 0)
            throw new ArgumentException($"The {axis} axis is logarithmic but trace {(trace.Name is null ? "" : $"'{trace.Name}' ")}has {axis} = {values[index]} at index {index}; " +
                $"a log axis shows only positive values: drop the points ≤ 0 (or set them to double.NaN to leave a gap), or remove {call}.");
    }

    private static double[] Numbers<T>(IEnumerable<T> values) where T : INumberBase<T> => values.Select(double.CreateSaturating).ToArray();

    private static double CheckOpacity(double opacity) => opacity is >= 0 and <= 1
        ? opacity : throw new ArgumentOutOfRangeException(nameof(opacity), opacity, "Opacity goes from 0 (invisible) to 1 (opaque).");
}

/// <summary>An axis: its title and whether it is logarithmic (Plotly's axis type "log").</summary>
internal sealed record Axis(string Title, bool Log);
