using System.Globalization;
using System.Net;
using System.Text;
using TorchSharp;

namespace Course.Display;

/// <summary>A tensor as a notebook shows it: its shape, dtype and device, then its values (or a hint when large).</summary>
public static class TensorDisplay
{
    /// <summary>Tensors bigger than this show their shape and a hint instead of every value.</summary>
    public const long MaxElementsShown = 2_000;

    /// <summary>Matrices wider or taller than this are shown as text, where numpy-style elision keeps them readable.</summary>
    private const int MaxTableSide = 24;

    public static string Header(torch.Tensor tensor) =>
        $"tensor of shape [{string.Join(", ", tensor.shape)}], {tensor.dtype}, on {tensor.device}";

    public static string PlainText(torch.Tensor tensor) =>
        tensor.numel() > MaxElementsShown
            ? $"{Header(tensor)}\n({tensor.numel()} values not shown; display a slice such as t[..4] to see some)"
            : $"{Header(tensor)}\n{tensor.ToString(TensorStringStyle.Numpy, cultureInfo: CultureInfo.InvariantCulture)}";

    /// <summary>A scalar, vector or small matrix as an HTML table under its header; anything else as preformatted text.</summary>
    public static string Html(torch.Tensor tensor)
    {
        var header = WebUtility.HtmlEncode(Header(tensor));
        if (tensor.dim() > 2 || tensor.numel() > MaxElementsShown || tensor.shape.Any(side => side > MaxTableSide))
            return $"<div><pre>{WebUtility.HtmlEncode(PlainText(tensor))}</pre></div>";
        using var scope = torch.NewDisposeScope();
        var rows = (tensor.dim() switch { 0 => tensor.reshape(1, 1), 1 => tensor.unsqueeze(0), _ => tensor }).detach().cpu();
        // The header is the caption, kept on one line: a small matrix would otherwise squeeze it into a narrow column.
        var html = new StringBuilder($"<table><caption style=\"text-align:left;white-space:nowrap\">{header}</caption>");
        for (long i = 0; i < rows.shape[0]; i++)
        {
            html.Append("<tr>");
            for (long j = 0; j < rows.shape[1]; j++)
                html.Append("<td style=\"text-align:right\">").Append(WebUtility.HtmlEncode(Element(rows[i, j]))).Append("</td>");
            html.Append("</tr>");
        }
        return html.Append("</table>").ToString();
    }

    /// <summary>One element as the numpy-style text shows it (4 significant digits for floating point).</summary>
    private static string Element(torch.Tensor scalar) => scalar.dtype switch
    {
        torch.ScalarType.Bool => scalar.item<bool>() ? "True" : "False",
        _ when scalar.is_floating_point() => scalar.to(torch.ScalarType.Float64).item<double>().ToString("G4", CultureInfo.InvariantCulture),
        _ when scalar.is_complex() => scalar.ToString(TensorStringStyle.Numpy, cultureInfo: CultureInfo.InvariantCulture),
        _ => scalar.to(torch.ScalarType.Int64).item<long>().ToString(CultureInfo.InvariantCulture),
    };
}
