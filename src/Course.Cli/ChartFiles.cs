using Course.Visualization;

namespace Course.Cli;

/// <summary>Where the CLI writes a chart: an HTML page (interactive when plotly.js can load, the static picture
/// otherwise) and the same figure as an SVG beside it, for image viewers, documents and pull requests.</summary>
internal static class ChartFiles
{
    /// <summary>Writes the page and the SVG; a path without ".html" gets it, so browsers open the page. Returns the page's path.</summary>
    public static string Save(Figure figure, string path)
    {
        var htmlPath = Path.GetExtension(path).Equals(".html", StringComparison.OrdinalIgnoreCase) ? path : path + ".html";
        var directory = Path.GetDirectoryName(Path.GetFullPath(htmlPath))!;
        if (File.Exists(directory)) throw new UserError($"Cannot write the chart {htmlPath}: {directory} is a file. Give --chart a path in a folder.");
        Directory.CreateDirectory(directory);
        figure.SaveHtml(htmlPath);
        figure.SaveSvg(Path.ChangeExtension(htmlPath, ".svg"));
        return htmlPath;
    }
}
