using System.Xml.Linq;

namespace Course.Visualization;

/// <summary>A <see cref="Figure"/> as a static SVG: lines and bars on axes (<see cref="CartesianSvg"/>) or a heatmap
/// (<see cref="HeatmapSvg"/>), with the title and axis titles laid out here for both.</summary>
internal static class SvgFigure
{
    public const int DefaultWidth = 720, DefaultHeight = 440;

    /// <summary>Characters kept of a category label or legend entry.</summary>
    public const int MaxLabel = 24;

    public static string Render(Figure figure, int width, int height)
    {
        if (width < 200 || height < 150)
            throw new ArgumentOutOfRangeException(nameof(width), $"{width}×{height} pixels is too small for a figure; give at least 200×150.");
        var content = figure.Traces is [HeatmapTrace heatmap]
            ? HeatmapSvg.Draw(figure, heatmap, width, height)
            : CartesianSvg.Draw(figure, width, height);
        return Svg.Document(width, height, content).ToString(SaveOptions.DisableFormatting);
    }

    /// <summary>Where the plot area can start: below the title, if any.</summary>
    public static double Top(Figure figure) => figure.Title.Length > 0 ? 44 : 16;

    /// <summary>Room on the left for the y axis title, and at the bottom for the x axis title.</summary>
    public static double YTitleRoom(Figure figure) => figure.YAxis.Title.Length > 0 ? 24 : 0;

    public static double XTitleRoom(Figure figure) => figure.XAxis.Title.Length > 0 ? 24 : 0;

    /// <summary>The title on top, the x axis title under the plot's centre, the y axis title turned beside it
    /// (at <paramref name="yTitleX"/>, by default the left edge).</summary>
    public static IEnumerable<XElement> Titles(Figure figure, int width, int height, double centerX, double centerY, double yTitleX = 16)
    {
        if (figure.Title.Length > 0)
            yield return Svg.Text(width / 2.0, 22, Svg.Shorten(figure.Title, (int)(width / Svg.TextWidth("x", 16))), "middle",
                new XAttribute("font-size", 16), new XAttribute("fill", "#222"));
        if (figure.XAxis.Title.Length > 0)
            yield return Svg.Text(centerX, height - 14, figure.XAxis.Title, "middle", new XAttribute("font-size", 13), new XAttribute("fill", "#333"));
        if (figure.YAxis.Title.Length > 0)
            yield return Svg.Text(yTitleX, centerY, figure.YAxis.Title, "middle", new XAttribute("font-size", 13), new XAttribute("fill", "#333"),
                new XAttribute("transform", $"rotate(-90 {Svg.Number(yTitleX)} {Svg.Number(centerY)})"));
    }
}
