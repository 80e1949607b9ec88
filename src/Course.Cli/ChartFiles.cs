using Course.Visualization;

namespace Course.Cli;

/// <summary>Where the CLI writes a chart: an HTML page (interactive when plotly.js can load, the static picture
/// otherwise) and the same figure as an SVG beside it, for image viewers, documents and pull requests.</summary>
internal static class ChartFiles
{
    public static void Save(Figure figure, string htmlPath)
    {
        figure.SaveHtml(htmlPath);
        figure.SaveSvg(Path.ChangeExtension(htmlPath, ".svg"));
    }
}
