using System.Text.RegularExpressions;
using System.Xml.Linq;
using Course.Tests.Visualization;

namespace Course.Notebooks.Tests;

/// <summary>The diagrams in notebooks/figures (SVG source, drawn by hand): each is shown by a chapter, has a title for
/// readers who cannot see it, and draws in a real browser; every image a chapter's markdown shows exists.</summary>
public sealed partial class FigureTests
{
    private static readonly string Folder = Path.Combine(CourseNotebookTests.NotebooksFolder, "figures");

    public static IEnumerable<object[]> Figures() => Directory.GetFiles(Folder, "*.svg").Order().Select(p => new object[] { Path.GetFileName(p) });

    private static IEnumerable<(string Notebook, string Image)> ImagesShown() =>
        Directory.GetFiles(CourseNotebookTests.NotebooksFolder, "*.ipynb", SearchOption.AllDirectories)
            .SelectMany(path => MarkdownImage().Matches(File.ReadAllText(path)).Select(m => (path, m.Groups[1].Value)));

    [Fact]
    public void Every_image_a_chapter_shows_exists()
    {
        var images = ImagesShown().ToList();
        Assert.NotEmpty(images);
        Assert.All(images, i => Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(i.Notebook)!, i.Image)), $"{Path.GetFileName(i.Notebook)} shows {i.Image}, which does not exist"));
    }

    [Theory]
    [MemberData(nameof(Figures))]
    public void Figure_is_shown_by_a_chapter_has_a_title_and_draws_in_Chromium(string name)
    {
        Assert.Contains(ImagesShown(), i => i.Image == $"figures/{name}");
        var svg = XDocument.Load(Path.Combine(Folder, name)).Root!;
        Assert.False(string.IsNullOrWhiteSpace(svg.Element(svg.Name.Namespace + "title")?.Value), $"{name} has no <title>");

        using var chromium = new Chromium();
        var url = new Uri(Path.Combine(Folder, name)).AbsoluteUri;
        chromium.WebDriver.Navigate().GoToUrl(url);
        // As an <img>, as Jupyter shows it: a broken SVG fails to load or has no size.
        var width = chromium.Run<long>("const done = arguments[arguments.length - 1]; const i = new Image(); i.onload = () => done(i.naturalWidth); i.onerror = () => done(-1); i.src = arguments[0];", url);
        Assert.True(width > 100, $"{name} drew {width} pixels wide");
    }

    // ![alt](figures/x.svg) in a cell's markdown, as stored in the notebook's JSON.
    [GeneratedRegex(@"!\[[^\]]*\]\((figures/[^)\s""\\]+)\)")]
    private static partial Regex MarkdownImage();
}
