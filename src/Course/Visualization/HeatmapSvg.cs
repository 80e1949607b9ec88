using System.Xml.Linq;

namespace Course.Visualization;

/// <summary>A heatmap as SVG: square cells with row 0 on top (as a matrix is written), row and column labels,
/// the cell texts when they fit, and a colour bar on the right. A NaN or infinite cell is left blank.</summary>
internal static class HeatmapSvg
{
    private const double BarWidth = 14, BarGap = 16;
    private const int BarBands = 48; // the colour bar is stacked bands rather than a gradient, which would need an id

    public static IEnumerable<XElement> Draw(Figure figure, HeatmapTrace heatmap, int width, int height)
    {
        var (rows, columns) = (heatmap.Rows, heatmap.Columns);
        var rowLabels = heatmap.Y.Select(l => Svg.Shorten(l, SvgFigure.MaxLabel)).ToList();
        var rowLabelWidth = rowLabels.Select(l => Svg.TextWidth(l)).DefaultIfEmpty(0).Max();
        var columnLabels = heatmap.X.Select(l => Svg.Shorten(l, SvgFigure.MaxLabel)).ToList();
        var zSpan = Span.Of(heatmap.FiniteValues(), padding: 0);
        var (barTicks, step) = Ticks.Linear(zSpan.Low, zSpan.High, 5);
        var barLabels = Ticks.Labels(barTicks, step);

        // Square cells, as large as the room allows; column labels too wide for a cell are turned 45°, which
        // needs more room below and so smaller cells.
        var top = SvgFigure.Top(figure);
        var leftRoom = 10 + SvgFigure.YTitleRoom(figure) + rowLabelWidth + 6;
        var rightRoom = BarGap + BarWidth + 6 + barLabels.Select(l => Svg.TextWidth(l)).DefaultIfEmpty(0).Max() + 10;
        var widest = columnLabels.Select(l => Svg.TextWidth(l)).DefaultIfEmpty(0).Max();
        double Cell(double bottomRoom) => Math.Max(1, Math.Min((width - leftRoom - rightRoom) / Math.Max(columns, 1), (height - top - bottomRoom) / Math.Max(rows, 1)));
        var bottomRoom = 8 + SvgFigure.XTitleRoom(figure) + 22;
        var cell = Cell(bottomRoom);
        var rotated = widest + 6 > cell;
        if (rotated)
        {
            bottomRoom = 8 + SvgFigure.XTitleRoom(figure) + 0.71 * widest + 16;
            cell = Cell(bottomRoom);
        }
        var (gridWidth, gridHeight) = (cell * columns, cell * rows);
        var left = (width - leftRoom - gridWidth - rightRoom) / 2 + leftRoom; // the block of labels, grid and colour bar is centred
        var bottom = top + gridHeight;
        double T(double z) => (z - zSpan.Low) / zSpan.Width;

        // crispEdges: anti-aliased neighbours would show hairline seams between cells.
        yield return Svg.Group(new XAttribute("shape-rendering", "crispEdges"),
            Enumerable.Range(0, rows).SelectMany(i => Runs(heatmap, i, z => ColorScale.Hex(ColorScale.At(T(z))))
                .Select(run => Svg.Rect(left + run.Start * cell, top + i * cell, run.Length * cell, cell, run.Color))));
        if (heatmap.Text is { } text && CellTextSize(text, cell) is { } size)
            yield return Svg.Group(new XAttribute("font-size", Svg.Number(size)),
                Enumerable.Range(0, rows).SelectMany(i => Enumerable.Range(0, columns).Select(j => (i, j)))
                    .Where(c => double.IsFinite(heatmap.Z[c.i, c.j]) && !string.IsNullOrEmpty(text[c.i, c.j]))
                    .Select(c => Svg.Text(left + (c.j + 0.5) * cell, top + (c.i + 0.5) * cell, text[c.i, c.j], "middle",
                        new XAttribute("fill", ColorScale.TextOn(ColorScale.At(T(heatmap.Z[c.i, c.j])))))));

        var rowEvery = (int)Math.Ceiling(13 / cell);
        var columnEvery = (int)Math.Ceiling((rotated ? 18 : widest + 6) / cell);
        yield return Svg.Group(new XAttribute("fill", "#555"),
            rowLabels.Select((l, i) => i % rowEvery != 0 ? null : Svg.Text(left - 6, top + (i + 0.5) * cell, l, "end")),
            columnLabels.Select((l, j) =>
            {
                if (j % columnEvery != 0) return null;
                var x = left + (j + 0.5) * cell;
                return rotated
                    ? Svg.Text(x, bottom + 10, l, "end", new XAttribute("transform", $"rotate(-45 {Svg.Number(x)} {Svg.Number(bottom + 10)})"))
                    : Svg.Text(x, bottom + 14, l);
            }));

        var barLeft = left + gridWidth + BarGap;
        yield return Svg.Group(new XAttribute("shape-rendering", "crispEdges"), Enumerable.Range(0, BarBands).Select(k =>
            Svg.Rect(barLeft, bottom - (k + 1) * gridHeight / BarBands, BarWidth, gridHeight / BarBands, ColorScale.Hex(ColorScale.At((k + 0.5) / BarBands)))));
        yield return Svg.Group(new XAttribute("fill", "#555"), barTicks.Select((v, i) =>
            Svg.Text(barLeft + BarWidth + 6, bottom - T(v) * gridHeight, barLabels[i], "start")));
        // The y title stays beside the row labels, wherever centring puts the block.
        foreach (var title in SvgFigure.Titles(figure, width, height, left + gridWidth / 2, top + gridHeight / 2, left - rowLabelWidth - 20))
            yield return title;
    }

    /// <summary>A row's finite cells as runs of one colour: one rectangle per run keeps the SVG small where a
    /// row repeats a colour, as a causal mask's zeros do.</summary>
    private static IEnumerable<(int Start, int Length, string Color)> Runs(HeatmapTrace heatmap, int row, Func<double, string> color)
    {
        for (int j = 0; j < heatmap.Columns;)
        {
            if (!double.IsFinite(heatmap.Z[row, j])) { j++; continue; }
            var (start, fill) = (j, color(heatmap.Z[row, j]));
            while (++j < heatmap.Columns && double.IsFinite(heatmap.Z[row, j]) && color(heatmap.Z[row, j]) == fill) { }
            yield return (start, j - start, fill);
        }
    }

    /// <summary>A font size at which the longest cell text fits its cell (at most 13 px), or null below 8 px,
    /// where text would be unreadable: then no cell shows text.</summary>
    private static double? CellTextSize(string[,] text, double cell)
    {
        var longest = text.Cast<string?>().Max(t => t?.Length ?? 0);
        if (longest == 0) return null;
        var size = Math.Min(Math.Min(13, cell * 0.45), (cell - 4) / (longest * 0.55));
        return size >= 8 ? size : null;
    }
}
