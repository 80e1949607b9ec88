using Microsoft.DotNet.Interactive.Formatting;

namespace Course.Visualization;

/// <summary>
/// How notebooks show a <see cref="Figure"/>, through .NET Interactive's formatting package: the official kernel
/// and ours both ask <c>Formatter</c> for each of the figure's preferred MIME types and send all of them in one
/// output. Front ends show the richest they render: the interactive Plotly chart (JupyterLab, VS Code), else the
/// SVG (GitHub, nbviewer), else the line of text (a terminal).
/// </summary>
internal sealed class FigureFormatters : ITypeFormatterSource
{
    public IEnumerable<ITypeFormatter> CreateTypeFormatters() =>
    [
        new FigureFormatter(Figure.PlotlyMimeType, figure => figure.ToPlotlyJson().ToJsonString()),
        new FigureFormatter(Figure.SvgMimeType, figure => figure.ToSvg()),
        new FigureFormatter(PlainTextFormatter.MimeType, figure => figure.ToString()),
    ];

    private sealed class FigureFormatter(string mimeType, Func<Figure, string> format) : TypeFormatter<Figure>
    {
        public override string MimeType => mimeType;

        public override bool Format(Figure figure, FormatContext context)
        {
            context.Writer.Write(format(figure));
            return true;
        }
    }
}
