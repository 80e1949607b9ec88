using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Course.Visualization;

namespace Course.Tests.Visualization;

/// <summary>The static SVG: well-formed, self-contained, deterministic and compact, with the parts a reader needs.</summary>
public class SvgTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    public static TheoryData<string> FigureNames => [.. Gallery.Figures.Keys];

    [Theory]
    [MemberData(nameof(FigureNames))]
    public void Every_figure_is_well_formed_self_contained_compact_SVG_with_finite_coordinates(string name)
    {
        var svg = Gallery.Figures[name].ToSvg();
        var root = XDocument.Parse(svg).Root!;

        Assert.Equal(Svg + "svg", root.Name);
        Assert.Equal("720", (string?)root.Attribute("width"));
        Assert.DoesNotContain(root.Descendants(), e => e.Name.LocalName is "script" or "image" or "foreignObject" or "style");
        Assert.DoesNotContain("href", svg);
        Assert.DoesNotContain('\n', svg);
        Assert.DoesNotMatch("NaN|Infinity|∞", svg);
        var coordinates = root.Descendants().SelectMany(e => e.Attributes())
            .Where(a => a.Name.LocalName is "x" or "y" or "x1" or "y1" or "x2" or "y2" or "cx" or "cy" or "r" or "width" or "height");
        Assert.All(coordinates, a => Assert.Matches(@"^-?\d+(\.\d)?$", a.Value));
    }

    [Fact]
    public void The_same_figure_gives_the_same_bytes_in_any_culture()
    {
        var first = Gallery.Figures["lines"].ToSvg();
        var culture = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("de-DE"); // decimal comma
            Assert.Equal(first, Gallery.Figures["lines"].ToSvg());
        }
        finally { CultureInfo.CurrentCulture = culture; }
    }

    [Fact]
    public void Lines_have_a_path_each_markers_tick_labels_titles_and_a_legend()
    {
        var root = Parse(Gallery.Figures["lines"]);

        Assert.Equal(2, root.Descendants(Svg + "path").Count());
        Assert.Equal(["#1f77b4", "#ff7f0e"], root.Descendants(Svg + "path").Select(p => (string?)p.Attribute("stroke")));
        Assert.Equal(10 + 2, root.Descendants(Svg + "circle").Count()); // 5 markers a line, one in each legend entry
        var texts = Texts(root);
        Assert.Contains("Softmax saturation", texts);
        Assert.Contains("d_k", texts);
        Assert.Contains("largest weight", texts);
        Assert.Contains("softmax(q·k / √d_k)", texts);
        Assert.Contains("0.5", texts);
        Assert.Contains("250", texts);
    }

    [Fact]
    public void A_single_trace_gets_no_legend()
    {
        Assert.DoesNotContain("lr", Texts(Parse(Gallery.Figures["log axis"])));
    }

    [Fact]
    public void A_log_axis_has_ticks_at_1_2_5_times_powers_of_ten()
    {
        var texts = Texts(Parse(Gallery.Figures["log axis"]));

        Assert.Contains("5e-5", texts);
        Assert.Contains("1e-4", texts);
        Assert.Contains("2e-4", texts);
    }

    [Fact]
    public void Grouped_bars_stand_side_by_side_in_one_colour_per_trace_with_a_legend_entry_each()
    {
        var root = Parse(Gallery.Figures["grouped bars"]);
        var bars = root.Descendants(Svg + "g").Where(g => g.Attribute("fill") is { } fill && fill.Value.StartsWith('#') && g.Elements(Svg + "rect").Count() == 5).ToList();

        Assert.Equal(["#1f77b4", "#ff7f0e", "#2ca02c"], bars.Select(g => (string?)g.Attribute("fill")));
        var firstCategory = bars.Select(g => double.Parse((string)g.Elements(Svg + "rect").First().Attribute("x")!, CultureInfo.InvariantCulture)).ToList();
        Assert.True(firstCategory[0] < firstCategory[1] && firstCategory[1] < firstCategory[2], "bars of one category side by side, in trace order");
        Assert.Contains("T = 0.5", Texts(root));
        Assert.Contains("T = 2", Texts(root));
        Assert.Contains("System", Texts(root));
    }

    [Fact]
    public void Bars_carry_their_text_and_negative_bars_hang_below_a_zero_line()
    {
        Assert.Contains("2.25", Texts(Parse(Gallery.Figures["bars"])));

        var root = Parse(Gallery.Figures["negative bars"]);
        var zero = root.Descendants(Svg + "line").Single(l => (string?)l.Attribute("stroke") == "#999");
        var rects = root.Descendants(Svg + "g").Single(g => (string?)g.Attribute("fill") == "#1f77b4").Elements(Svg + "rect").ToList();
        var zeroY = (double)zero.Attribute("y1")!;
        Assert.Equal(zeroY, (double)rects[1].Attribute("y")!); // -0.2 starts at zero and goes down
        Assert.Equal(zeroY, (double)rects[0].Attribute("y")! + (double)rects[0].Attribute("height")!, precision: 0); // 0.3 ends at zero
    }

    [Fact]
    public void A_heatmap_draws_a_cell_per_value_row_0_on_top_its_counts_and_a_colour_bar()
    {
        var root = Parse(Gallery.Figures["confusion matrix"]);
        var cells = root.Elements(Svg + "g").First(g => (string?)g.Attribute("shape-rendering") == "crispEdges").Elements(Svg + "rect").ToList();

        Assert.Equal(9, cells.Count);
        Assert.True((double)cells[0].Attribute("y")! < (double)cells[3].Attribute("y")!, "row 0 above row 1");
        Assert.Equal("#fde725", (string?)cells[4].Attribute("fill")); // 1,290, the largest count: the light end of Viridis
        Assert.Equal("#440154", (string?)cells[2].Attribute("fill")); // 3, the smallest: the dark end
        var texts = Texts(root);
        Assert.Contains("1,290", texts);
        Assert.Contains("377", texts);
        Assert.Contains("constructor", texts);
        Assert.Contains("1200", texts); // a colour bar tick
        Assert.Equal(48, root.Elements(Svg + "g").Last(g => (string?)g.Attribute("shape-rendering") == "crispEdges").Elements(Svg + "rect").Count());
    }

    [Fact]
    public void Non_finite_values_are_skipped_a_line_breaks_at_them()
    {
        var root = Parse(Gallery.Figures["gaps"]);

        Assert.Equal(5, root.Descendants(Svg + "circle").Count()); // 7 values, 2 not finite; no legend for one trace
        Assert.Equal(3, ((string)root.Descendants(Svg + "path").Single().Attribute("d")!).Count(c => c == 'M'));

        var cells = new Figure().Heatmap(new[,] { { 1.0, double.NaN }, { 2.0, 3.0 } }).ToSvg();
        Assert.Equal(3, XDocument.Parse(cells).Root!.Elements(Svg + "g").First().Elements(Svg + "rect").Count());
    }

    [Fact]
    public void Edge_cases_still_draw_axes_an_empty_figure_says_so()
    {
        Assert.Contains("no data", Texts(Parse(Gallery.Figures["empty"])));
        Assert.Single(Parse(Gallery.Figures["one point"]).Descendants(Svg + "circle"));
        Assert.Contains("7", Texts(Parse(Gallery.Figures["constant"])));
    }

    [Fact]
    public void Long_labels_are_shortened_and_turned()
    {
        var root = Parse(Gallery.Figures["long labels"]);

        Assert.Contains("byte-level BPE, 512 mer…", Texts(root));
        Assert.Contains(root.Descendants(Svg + "text"), t => ((string?)t.Attribute("transform"))?.StartsWith("rotate(-45") == true);
    }

    [Fact]
    public void A_figure_too_small_to_draw_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Gallery.Figures["lines"].ToSvg(100, 50));
    }

    [Fact]
    public void Saved_files_are_the_SVG_and_a_page_that_shows_it_before_plotly_js_loads()
    {
        using var folder = new Data.TempDirectory();
        var figure = new Figure("A </script> in a title").Line(new[] { 1, 2 }, new[] { 3, 4 });
        figure.SaveSvg(folder.File("f.svg"));
        figure.SaveHtml(folder.File("f.html"));

        Assert.Equal(figure.ToSvg(), File.ReadAllText(folder.File("f.svg")));
        var html = File.ReadAllText(folder.File("f.html"));
        Assert.Contains(figure.ToSvg(), html);
        Assert.Contains("https://cdn.plot.ly/plotly-4.1.2.min.js", html);
        Assert.Equal(2, Regex.Matches(html, "</script>").Count); // the two script elements' own: the title ends neither early
    }

    private static XElement Parse(Figure figure) => XDocument.Parse(figure.ToSvg()).Root!;

    private static List<string> Texts(XElement root) => root.Descendants(Svg + "text").Select(t => t.Value).ToList();
}
