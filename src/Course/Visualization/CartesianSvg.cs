using System.Xml.Linq;

namespace Course.Visualization;

/// <summary>Lines, markers and bars on an x and a y axis, as SVG: grid lines at nice ticks, bars grouped side by
/// side, a gap in a line wherever a value is NaN or infinite, and a legend on the right for two or more named traces.</summary>
internal static class CartesianSvg
{
    private const double GroupWidth = 0.8; // of a category's band (or of the gap between bars) that a group of bars fills

    public static IEnumerable<XElement> Draw(Figure figure, int width, int height)
    {
        var traces = figure.Traces.OfType<XYTrace>().ToList();
        var bars = traces.OfType<BarTrace>().ToList();
        var (xLog, yLog) = (figure.XAxis.Log, figure.YAxis.Log);
        var categories = traces.Where(t => t.IsCategorical).SelectMany(t => t.Categories!).Distinct().ToList();
        var categorical = traces.Any(t => t.IsCategorical);

        // The y labels come first: their width sets the left margin. The plot's height is estimated for the tick
        // count, before the bottom margin is known.
        var top = SvgFigure.Top(figure);
        var ySpan = Span.Of(traces.SelectMany(t => t.FinitePoints().Select(p => Scale.Unit(p.Y, yLog))),
            padding: bars.Any(b => b.Text is not null) ? 0.12 : 0.05, fromZero: bars.Count > 0 && !yLog);
        var (yTicks, yLabels) = AxisTicks(ySpan, yLog, (int)((height - top - 60) / 60));
        var left = 10 + SvgFigure.YTitleRoom(figure) + yLabels.Select(l => Svg.TextWidth(l)).DefaultIfEmpty(0).Max() + 8;

        var legend = figure.LegendTraces;
        var legendWidth = legend.Count == 0 ? 0 : 30 + legend.Max(t => Svg.TextWidth(Svg.Shorten(t.Name!, SvgFigure.MaxLabel)));
        var right = width - (legend.Count == 0 ? 16 : legendWidth + 28);

        // x: category bands, or a numeric span that holds the points and the bars' full width.
        var barGap = categorical ? 1 : BarGap(bars, xLog);
        var xUnits = traces.OfType<ScatterTrace>().SelectMany(t => t.FinitePoints().Select(p => Scale.Unit(t.X![p.Index], xLog)))
            // A bar's whole gap, not only its width, so the outer bars keep the space the inner ones have.
            .Concat(bars.Where(b => !b.IsCategorical).SelectMany(b => b.FinitePoints().SelectMany(p => new[] { -0.5, 0.5 }.Select(side => Scale.Unit(b.X![p.Index], xLog) + side * barGap))));
        var xSpan = categorical ? new Span(0, Math.Max(categories.Count, 1)) : Span.Of(xUnits, traces.OfType<ScatterTrace>().Any(t => t.ShowsMarkers) ? 0.03 : 0);
        var (xTicks, xLabels) = categorical
            ? (categories.Select((_, i) => i + 0.5).ToList(), categories.Select(c => Svg.Shorten(c, SvgFigure.MaxLabel)).ToList())
            : AxisTicks(xSpan, xLog, (int)((right - left) / 110));
        if (!categorical && xLabels.Count > 0)
            right = Math.Min(right, width - Svg.TextWidth(xLabels[^1]) / 2 - 4);

        // Category labels wider than their band are turned 45°; the first one must then fit left of the plot.
        var widest = xLabels.Select(l => Svg.TextWidth(l)).DefaultIfEmpty(0).Max();
        var rotated = categorical && widest + 8 > (right - left) / Math.Max(categories.Count, 1);
        if (rotated)
            left = Math.Max(left, 0.71 * Svg.TextWidth(xLabels[0]) - (right - left) / categories.Count / 2 + 6);
        var bottom = height - (8 + SvgFigure.XTitleRoom(figure) + (rotated ? 0.71 * widest + 16 : 22));
        var x = new Scale(xSpan, xLog, left, right);
        var y = new Scale(ySpan, yLog, bottom, top);
        var labelEvery = rotated ? (int)Math.Ceiling(18 / ((right - left) / categories.Count)) : 1;

        var categoryIndex = categories.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i);
        double X(XYTrace t, int i) => t.Categories is { } labels ? x.Map(categoryIndex[labels[i]] + 0.5) : x[t.X![i]];
        var groupPixels = GroupWidth * barGap * x.PixelsPerUnit;

        yield return Svg.Group(new XAttribute("stroke", "#e6e6e6"),
            yTicks.Select(v => Svg.Line(left, y[v], right, y[v])),
            categorical ? null : xTicks.Select(v => Svg.Line(x[v], top, x[v], bottom)));
        if (!yLog && ySpan.Low < 0 && ySpan.High > 0)
            yield return Svg.Line(left, y[0], right, y[0]).With("stroke", "#999");
        foreach (var (bar, k) in bars.Select((b, k) => (b, k)))
            foreach (var element in Bars(bar, ColorOf(figure, bar), k, bars.Count, X, y, groupPixels, yLog ? bottom : y[0]))
                yield return element;
        foreach (var scatter in traces.OfType<ScatterTrace>())
            yield return Scatter(scatter, ColorOf(figure, scatter), X, y);

        yield return Svg.Group(new XAttribute("stroke", "#999"), Svg.Line(left, top, left, bottom), Svg.Line(left, bottom, right, bottom));
        yield return Svg.Group(new XAttribute("fill", "#555"),
            yTicks.Select((v, i) => Svg.Text(left - 6, y[v], yLabels[i], "end")),
            xTicks.Select((v, i) => i % labelEvery != 0 ? null
                : rotated ? Svg.Text(x.Map(v), bottom + 10, xLabels[i], "end", new XAttribute("transform", $"rotate(-45 {Svg.Number(x.Map(v))} {Svg.Number(bottom + 10)})"))
                : Svg.Text(categorical ? x.Map(v) : x[v], bottom + 14, xLabels[i])));
        if (traces.Count == 0)
            yield return Svg.Text((left + right) / 2, (top + bottom) / 2, "no data", "middle", new XAttribute("fill", "#999"));
        foreach (var title in SvgFigure.Titles(figure, width, height, (left + right) / 2, (top + bottom) / 2))
            yield return title;
        if (legend.Count > 0)
            yield return Legend(figure, legend, right + 20, top + 8);
    }

    /// <summary>Tick positions (in values) and labels for a linear or log axis over a span in axis units.</summary>
    private static (IReadOnlyList<double> Values, IReadOnlyList<string> Labels) AxisTicks(Span span, bool log, int target)
    {
        target = Math.Max(target, 2);
        if (log)
        {
            var values = Ticks.Log(span.Low, span.High, target);
            return (values, values.Select(Ticks.LogLabel).ToList());
        }
        var (linear, step) = Ticks.Linear(span.Low, span.High, target);
        return (linear, Ticks.Labels(linear, step));
    }

    /// <summary>The smallest distance between two bars' x (in axis units), which a group of bars may fill.</summary>
    private static double BarGap(IEnumerable<BarTrace> bars, bool log)
    {
        var xs = bars.SelectMany(b => b.FinitePoints().Select(p => Scale.Unit(b.X![p.Index], log))).Distinct().Order().ToList();
        return xs.Count < 2 ? 1 : xs.Zip(xs.Skip(1), (a, b) => b - a).Min();
    }

    /// <summary>A trace's colour follows its place among all traces, as in plotly.js. (Found by reference: two
    /// traces of equal data are still two places.)</summary>
    private static string ColorOf(Figure figure, Trace trace) => Palette.Of(figure.Traces.ToList().FindIndex(t => ReferenceEquals(t, trace)));

    /// <summary>The k-th of <paramref name="count"/> bar traces takes the k-th slot of each group.</summary>
    private static IEnumerable<XElement> Bars(BarTrace bar, string color, int k, int count, Func<XYTrace, int, double> x, Scale y, double groupPixels, double baseline)
    {
        var slot = groupPixels / count;
        var points = bar.FinitePoints().ToList();
        yield return Svg.Group(new XAttribute("fill", color), points.Select(p =>
        {
            var (left, top) = (x(bar, p.Index) - groupPixels / 2 + k * slot, y[p.Y]);
            return Svg.Rect(left, Math.Min(top, baseline), slot, Math.Abs(baseline - top));
        }));
        if (bar.Text is { } text)
            yield return Svg.Group(new XAttribute("font-size", 11), new XAttribute("fill", "#333"), points.Select(p =>
                Svg.Text(x(bar, p.Index) - groupPixels / 2 + (k + 0.5) * slot, y[p.Y] + (y[p.Y] <= baseline ? -8 : 8), text[p.Index])));
    }

    private static XElement Scatter(ScatterTrace trace, string color, Func<XYTrace, int, double> x, Scale y)
    {
        var points = trace.FinitePoints().ToList();
        return Svg.Group(trace.Opacity < 1 ? new XAttribute("opacity", trace.Opacity) : null,
            trace.Lines ? Svg.Element("path", new XAttribute("d", PathData(trace, x, y)), new XAttribute("fill", "none"), new XAttribute("stroke", color),
                new XAttribute("stroke-width", 2), new XAttribute("stroke-linejoin", "round")) : null,
            trace.ShowsMarkers ? Svg.Group(new XAttribute("fill", color), points.Select(p => Svg.Circle(x(trace, p.Index), y[p.Y], trace.Lines ? 3.5 : 4))) : null);
    }

    /// <summary>"M x y x y ..." through the finite points; a non-finite value ends the segment (a gap), and points
    /// that land on the same tenth of a pixel as the one before are left out.</summary>
    private static string PathData(ScatterTrace trace, Func<XYTrace, int, double> x, Scale y)
    {
        var data = new System.Text.StringBuilder();
        var (previous, gap) = ("", true);
        for (int i = 0; i < trace.Y.Count; i++)
        {
            if (!double.IsFinite(trace.Y[i]) || trace.X is { } xs && !double.IsFinite(xs[i])) { gap = true; continue; }
            var point = $"{Svg.Number(x(trace, i))} {Svg.Number(y[trace.Y[i]])}";
            if (point == previous && !gap) continue;
            data.Append(gap ? "M" : " ").Append(point);
            (previous, gap) = (point, false);
        }
        return data.ToString();
    }

    private static XElement Legend(Figure figure, IReadOnlyList<XYTrace> entries, double left, double top) =>
        Svg.Group(entries.Select((trace, row) =>
        {
            var (y, color) = (top + row * 20, ColorOf(figure, trace));
            XElement swatch = trace switch
            {
                BarTrace => Svg.Rect(left + 4, y - 6, 12, 12, color),
                ScatterTrace { Lines: false } => Svg.Circle(left + 10, y, 4).With("fill", color),
                ScatterTrace s => Svg.Group(new XAttribute("stroke", color), new XAttribute("fill", color), s.Opacity < 1 ? new XAttribute("opacity", s.Opacity) : null,
                    Svg.Line(left, y, left + 20, y).With("stroke-width", "2"), s.ShowsMarkers ? Svg.Circle(left + 10, y, 3.5).With("stroke", "none") : null),
                _ => throw new InvalidOperationException(),
            };
            return Svg.Group(swatch, Svg.Text(left + 26, y, Svg.Shorten(trace.Name!, SvgFigure.MaxLabel), "start", new XAttribute("fill", "#333")));
        }));
}
