using Microsoft.DotNet.Interactive.Formatting;
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
    }
}
