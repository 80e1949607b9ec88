using System.Text.Json.Nodes;
using Course.Visualization;
using Microsoft.DotNet.Interactive.Formatting;

namespace Course.Tests.Visualization;

/// <summary>What .NET Interactive's own formatting API makes of a Figure: the bundle every engine displays.</summary>
public class FigureFormattersTests
{
    private static readonly string[] Bundle = [Figure.PlotlyMimeType, Figure.SvgMimeType, "text/plain"];

    [Fact]
    public void Formatter_gives_the_plotly_JSON_the_SVG_and_a_line_of_text()
    {
        var figure = Gallery.Figures["lines"];

        Assert.Equal(Bundle, Formatter.GetPreferredMimeTypesFor(typeof(Figure)));
        Assert.True(JsonNode.DeepEquals(figure.ToPlotlyJson(), JsonNode.Parse(figure.ToDisplayString(Figure.PlotlyMimeType))));
        Assert.Contains("√d_k", figure.ToDisplayString(Figure.PlotlyMimeType)); // written as is, not as a \u escape
        Assert.Equal(figure.ToSvg(), figure.ToDisplayString(Figure.SvgMimeType));
        Assert.Equal("Figure \"Softmax saturation\" with 2 traces (line, line)", figure.ToDisplayString("text/plain"));
    }

    [Fact]
    public void FormattedValue_makes_the_three_entry_bundle_a_notebook_output_holds()
    {
        var values = FormattedValue.CreateManyFromObject(Gallery.Figures["confusion matrix"]);

        Assert.Equal(Bundle, values.Select(v => v.MimeType));
        Assert.StartsWith("""{"data":[{"type":"heatmap",""", values[0].Value);
        Assert.StartsWith("<svg", values[1].Value);
        Assert.Contains("heatmap", values[2].Value);
    }
}
