using System.Text.Encodings.Web;
using System.Text.Json;
using Course.Display;
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
        new DelegateFormatter<Figure>(Figure.PlotlyMimeType, figure => figure.ToPlotlyJson().ToJsonString(Unescaped)),
        new DelegateFormatter<Figure>(Figure.SvgMimeType, figure => figure.ToSvg()),
        new DelegateFormatter<Figure>(PlainTextFormatter.MimeType, figure => figure.ToString()),
    ];

    /// <summary>Labels such as "softmax(q·k / √d_k)" written as they are, not as \u escapes: shorter, and readable
    /// in the notebook file. (The JSON goes into no HTML here, so nothing needs escaping for it.)</summary>
    private static readonly JsonSerializerOptions Unescaped = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
