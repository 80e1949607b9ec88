using System.Xml.Linq;
using static Course.Cli.Tests.CourseProcess;
using static Course.Cli.Tests.PretrainErrorTests;

namespace Course.Cli.Tests;

/// <summary>Each chart the CLI writes is an HTML page with the same figure as an SVG beside it.</summary>
public class ChartFilesTests
{
    [Fact]
    public void Pretrain_and_runs_compare_write_their_charts_as_html_and_svg()
    {
        var run = TempDirectory();
        Succeeds("pretrain", "--preset", "tiny", "--steps", "2", "--eval-interval", "2", "--eval-batches", "1", "--out", run);
        AssertChart(Path.Combine(run, "loss.html"), "validation (eval)");

        var chart = Path.Combine(TempDirectory(), "compare.html");
        Assert.Contains("compare.svg", Succeeds("runs", "compare", run, "--chart", chart));
        AssertChart(chart, "Validation loss");
    }

    /// <summary>The page and the SVG beside it exist, the SVG is well-formed, holds <paramref name="text"/>, and is
    /// what the page shows before plotly.js loads.</summary>
    internal static void AssertChart(string html, string text)
    {
        var svg = Path.ChangeExtension(html, ".svg");
        Assert.True(File.Exists(html), $"{html} is missing");
        Assert.True(File.Exists(svg), $"{svg} is missing");
        var picture = File.ReadAllText(svg);
        Assert.Contains(XDocument.Parse(picture).Root!.Descendants().Where(e => e.Name.LocalName == "text"), t => t.Value == text);
        Assert.Contains(picture, File.ReadAllText(html));
    }
}
