using System.Text;
using Course.Visualization;
using OpenQA.Selenium;

namespace Course.Tests.Visualization;

/// <summary>
/// The figures drawn by renderers no one here wrote: each SVG decoded as an image by Chromium (as GitHub shows
/// it, through an img element), and each figure's JSON drawn by plotly.js (as JupyterLab and VS Code do).
/// Screenshots of the SVGs are kept in the test output, under screenshots/.
/// </summary>
public class BrowserRenderingTests(Chromium chromium) : IClassFixture<Chromium>
{
    private static readonly string Screenshots = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName;

    public static TheoryData<string> FigureNames => [.. Gallery.Figures.Keys];

    [Theory]
    [MemberData(nameof(FigureNames))]
    public void Chromium_renders_each_SVG_as_an_image_at_its_size_in_its_trace_colours(string name)
    {
        var figure = Gallery.Figures[name];
        var file = name.Replace(' ', '-');
        File.WriteAllText(Path.Combine(Screenshots, file + ".svg"), figure.ToSvg());
        Open("image.html", """<html><body style="margin:0"><img id="figure"></body></html>""");

        var colours = ExpectedColours(figure);
        var result = chromium.Run<Dictionary<string, object>>("""
            var [svg, colours, done] = arguments;
            var img = document.getElementById('figure');
            // From a blob of the page's own making: a file:// image would taint the canvas and hide its pixels.
            img.onload = measure;
            img.onerror = () => done({ error: 'the SVG did not decode as an image' });
            img.src = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
            function measure() {
              var canvas = document.createElement('canvas');
              canvas.width = img.naturalWidth; canvas.height = img.naturalHeight;
              var context = canvas.getContext('2d');
              context.drawImage(img, 0, 0);
              var pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
              var wanted = colours.map(c => [1, 3, 5].map(k => parseInt(c.substr(k, 2), 16)));
              var ink = 0, found = colours.map(() => 0);
              for (var i = 0; i < pixels.length; i += 4) {
                if (pixels[i] < 250 || pixels[i + 1] < 250 || pixels[i + 2] < 250) ink++;
                wanted.forEach((rgb, c) => { if (rgb.every((v, k) => Math.abs(v - pixels[i + k]) <= 8)) found[c]++; });
              }
              done({ width: img.naturalWidth, height: img.naturalHeight, ink: ink, found: found });
            }
            """, figure.ToSvg(), colours);
        ((ITakesScreenshot)chromium.WebDriver.FindElement(By.Id("figure"))).GetScreenshot().SaveAsFile(Path.Combine(Screenshots, file + ".png"));

        Assert.False(result.ContainsKey("error"), result.GetValueOrDefault("error")?.ToString());
        Assert.Equal(720L, result["width"]);
        Assert.Equal(440L, result["height"]);
        Assert.True((long)result["ink"] > 5_000, $"only {result["ink"]} pixels are not white");
        var found = ((IEnumerable<object>)result["found"]).Cast<long>().ToList();
        Assert.All(colours.Zip(found), pair => Assert.True(pair.Second > 10, $"{pair.First} covers {pair.Second} pixels"));
    }

    [Theory]
    [MemberData(nameof(FigureNames))]
    public void Plotly_js_accepts_each_figure_s_JSON_and_draws_its_traces(string name)
    {
        var figure = Gallery.Figures[name];
        Open("plotly.html", $$"""
            <html><head><meta charset="utf-8">
            <script>window.errors = []; window.addEventListener('error', e => window.errors.push(e.message));</script>
            <script src="{{new Uri(PlotlyJs.Path).AbsoluteUri}}"></script>
            </head><body style="margin:0"><div id="plot" style="width:720px;height:440px"></div></body></html>
            """);

        var result = chromium.Run<Dictionary<string, object>>("""
            var [json, done] = arguments;
            var figure = JSON.parse(json);
            var invalid = (Plotly.validate(figure.data, figure.layout) || []).map(e => [e.trace ?? -1, e.msg]);
            var element = document.getElementById('plot');
            Plotly.purge(element);
            Plotly.newPlot(element, figure.data, figure.layout).then(gd => done({
              invalid: invalid,
              errors: window.errors,
              traces: gd._fullData.length,
              lines: element.querySelectorAll('.scatterlayer .js-line').length,
              markers: element.querySelectorAll('.scatterlayer path.point').length,
              bars: element.querySelectorAll('.barlayer .point').length,
              heatmaps: element.querySelectorAll('.heatmaplayer image').length,
              texts: Array.from(element.querySelectorAll('.heatmaplayer text, .barlayer text')).map(t => t.textContent),
              legend: Array.from(element.querySelectorAll('.legend .legendtext')).map(t => t.textContent),
              yReversed: gd._fullLayout.yaxis.range[0] > gd._fullLayout.yaxis.range[1],
              ticks: Array.from(element.querySelectorAll('.xtick text, .ytick text')).map(t => t.textContent),
              yType: gd._fullLayout.yaxis.type,
            }), e => done({ error: String(e) }));
            """, figure.ToPlotlyJson().ToJsonString());
        ((ITakesScreenshot)chromium.WebDriver.FindElement(By.Id("plot"))).GetScreenshot().SaveAsFile(Path.Combine(Screenshots, $"plotly-{name.Replace(' ', '-')}.png"));

        Assert.False(result.ContainsKey("error"), result.GetValueOrDefault("error")?.ToString());
        // Plotly.validate reports only that a trace without points is not shown (and so has no mode to read).
        var empty = figure.Traces.Select((t, i) => (t, i)).Where(p => p.t is XYTrace xy && !xy.FinitePoints().Any()).Select(p => (long)p.i).ToList();
        Assert.All((IEnumerable<object>)result["invalid"], e => Assert.Contains((long)((IReadOnlyList<object>)e)[0], empty));
        Assert.Empty(Strings(result["errors"]));
        Assert.Equal((long)figure.Traces.Count, result["traces"]);
        var scatters = figure.Traces.OfType<ScatterTrace>().ToList();
        Assert.True((long)result["lines"] >= scatters.Count(s => s.Lines && s.FinitePoints().Count() > 1));
        Assert.Equal(scatters.Where(s => s.ShowsMarkers).Sum(s => s.FinitePoints().Count()), (long)result["markers"]);
        Assert.Equal(figure.Traces.OfType<BarTrace>().Sum(b => b.FinitePoints().Count()), (long)result["bars"]);
        Assert.Equal(figure.Traces.OfType<HeatmapTrace>().Count(), (long)result["heatmaps"]);
        var texts = Strings(result["texts"]);
        foreach (var heatmap in figure.Traces.OfType<HeatmapTrace>())
        {
            if (heatmap.Text is { } cellText) Assert.Equal(cellText.Cast<string>().Order(), texts.Order());
            Assert.Subset(Strings(result["ticks"]).ToHashSet(), heatmap.X.Concat(heatmap.Y).ToHashSet());
        }
        foreach (var bar in figure.Traces.OfType<BarTrace>().Where(b => b.Text is not null))
            Assert.Subset(texts.ToHashSet(), bar.Text!.ToHashSet());
        Assert.Equal(figure.LegendTraces.Select(t => t.Name!), Strings(result["legend"]));
        Assert.Equal(figure.Traces.Any(t => t is HeatmapTrace), (bool)result["yReversed"]);
        if (figure.YAxis.Log) Assert.Equal("log", result["yType"]);
    }

    [Fact]
    public void A_saved_page_shows_the_SVG_offline_and_the_interactive_chart_once_plotly_js_loads()
    {
        using var folder = new Data.TempDirectory();
        var page = folder.File("confusion.html");
        Gallery.Figures["confusion matrix"].SaveHtml(page);
        var local = folder.File("local.html");
        File.WriteAllText(local, File.ReadAllText(page).Replace($"https://cdn.plot.ly/plotly-{FigurePage.PlotlyVersion}.min.js", new Uri(PlotlyJs.Path).AbsoluteUri));

        chromium.WebDriver.Navigate().GoToUrl(new Uri(page).AbsoluteUri); // no network here: the CDN does not load
        Assert.Single(chromium.WebDriver.FindElements(By.CssSelector("#figure > svg")));
        Assert.Empty(chromium.WebDriver.FindElements(By.CssSelector("#figure .main-svg")));

        chromium.WebDriver.Navigate().GoToUrl(new Uri(local).AbsoluteUri);
        Assert.Empty(chromium.WebDriver.FindElements(By.CssSelector("#figure > svg")));
        Assert.NotEmpty(chromium.WebDriver.FindElements(By.CssSelector("#figure .main-svg")));
        Assert.Contains("1,290", chromium.WebDriver.FindElement(By.Id("figure")).Text);
    }

    /// <summary>Colours the picture must show: each opaque trace's that has points, or a heatmap's two ends of the scale.</summary>
    private static string[] ExpectedColours(Figure figure) => figure.Traces is [HeatmapTrace]
        ? ["#440154", "#fde725"]
        : [.. figure.Traces.Select((t, i) => (t, i)).Where(p => p.t is BarTrace or ScatterTrace { Opacity: 1 } && ((XYTrace)p.t).FinitePoints().Any()).Select(p => Palette.Of(p.i))];

    /// <summary>Opens a page of the screenshots folder, written (and loaded) only when it is not already open.</summary>
    private void Open(string name, string html)
    {
        var page = Path.Combine(Screenshots, name);
        if (!File.Exists(page) || File.ReadAllText(page) != html) File.WriteAllText(page, html, Encoding.UTF8);
        if (chromium.WebDriver.Url != new Uri(page).AbsoluteUri) chromium.WebDriver.Navigate().GoToUrl(new Uri(page).AbsoluteUri);
    }

    private static List<string> Strings(object value) => ((IEnumerable<object>)value).Select(v => v?.ToString() ?? "").ToList();
}
