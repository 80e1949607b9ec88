using System.Net;

namespace Course.Visualization;

/// <summary>A standalone web page of a figure: the SVG shows at once (offline too); when plotly.js loads from its
/// CDN, the interactive chart replaces it.</summary>
internal static class FigurePage
{
    /// <summary>The plotly.js release the page loads, the one the tests draw every figure with.</summary>
    public const string PlotlyVersion = "4.1.2";

    /// <remarks>The JSON goes into the script as System.Text.Json writes it by default, with &lt; escaped as
    /// \u003C, so a title holding "&lt;/script&gt;" cannot end the script early.</remarks>
    public static string Html(Figure figure) => $$"""
        <!DOCTYPE html>
        <html>
        <head>
        <meta charset="utf-8">
        <title>{{WebUtility.HtmlEncode(figure.Title.Length > 0 ? figure.Title : "Figure")}}</title>
        </head>
        <body style="margin:0">
        <div id="figure" style="max-width:{{SvgFigure.DefaultWidth}}px">{{figure.ToSvg()}}</div>
        <script src="https://cdn.plot.ly/plotly-{{PlotlyVersion}}.min.js"></script>
        <script>
        // Without a network plotly.js does not load and the SVG stays.
        if (window.Plotly) {
          var figure = {{figure.ToPlotlyJson().ToJsonString()}};
          var element = document.getElementById("figure");
          element.innerHTML = "";
          element.style.height = "{{SvgFigure.DefaultHeight}}px";
          Plotly.newPlot(element, figure.data, figure.layout, { responsive: true });
        }
        </script>
        </body>
        </html>
        """;
}
