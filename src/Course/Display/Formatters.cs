using Microsoft.DotNet.Interactive.Formatting;
using Course.Visualization;
using TorchSharp;

namespace Course.Display;

/// <summary>
/// How the course's values look in a notebook, in every engine that formats with Microsoft.DotNet.Interactive.Formatting:
/// the course's runner and kernel, and .NET Interactive. Figures carry their own formatters; tensors are TorchSharp's
/// type, so a chapter calls <see cref="Register"/> once, in its first cell.
/// </summary>
public static class Formatters
{
    /// <summary>Tensors as a table (text/html) with a text/plain fallback, both headed by shape, dtype and device.</summary>
    public static void Register()
    {
        Formatter.Register<torch.Tensor>((tensor, writer) => writer.Write(TensorDisplay.PlainText(tensor)), PlainTextFormatter.MimeType);
        Formatter.Register<torch.Tensor>((tensor, writer) => writer.Write(TensorDisplay.Html(tensor)), HtmlFormatter.MimeType);
        Formatter.SetPreferredMimeTypesFor(typeof(torch.Tensor), HtmlFormatter.MimeType, PlainTextFormatter.MimeType);
        // .NET Interactive's Jupyter kernel sends every MIME type but application/json as a string, so Plotly's figure
        // JSON would reach the front end as text that its Plotly renderer cannot draw; there a figure shows as its SVG.
        if (InDotNetInteractiveJupyterKernel)
            Formatter.SetPreferredMimeTypesFor(typeof(Figure), Figure.SvgMimeType, PlainTextFormatter.MimeType);
    }

    private static bool InDotNetInteractiveJupyterKernel =>
        AppDomain.CurrentDomain.GetAssemblies().Any(a => a.GetName().Name == "Microsoft.DotNet.Interactive.Jupyter");
}
