using System.Globalization;
using System.Xml.Linq;

namespace Course.Visualization;

/// <summary>SVG elements with coordinates rounded to a tenth of a pixel and written in the invariant culture, so
/// the same figure always gives the same, short text. Built as XML, so text is always escaped.</summary>
internal static class Svg
{
    public const double FontSize = 12;
    private static readonly XNamespace Ns = "http://www.w3.org/2000/svg";

    public static XElement Document(int width, int height, IEnumerable<XElement> content) =>
        Element("svg", new XAttribute("width", width), new XAttribute("height", height), new XAttribute("viewBox", $"0 0 {width} {height}"),
            new XAttribute("font-family", "sans-serif"), new XAttribute("font-size", FontSize),
            // A white page: the chart stays readable where the viewer's theme is dark (GitHub, VS Code).
            Rect(0, 0, width, height, "#fff"), content);

    public static XElement Element(string name, params object?[] content) => new(Ns + name, content);

    public static XElement Group(params object?[] content) => Element("g", content);

    /// <summary>A rectangle; without a fill it takes its group's.</summary>
    public static XElement Rect(double x, double y, double width, double height, string? fill = null) =>
        Element("rect", At("x", x), At("y", y), At("width", width), At("height", height), fill is null ? null : new XAttribute("fill", fill));

    public static XElement Line(double x1, double y1, double x2, double y2) =>
        Element("line", At("x1", x1), At("y1", y1), At("x2", x2), At("y2", y2));

    public static XElement Circle(double x, double y, double r) => Element("circle", At("cx", x), At("cy", y), At("r", r));

    /// <summary>Text at (x, y): y is the middle of the text, not its baseline (dy shifts it down by a third of an em).</summary>
    public static XElement Text(double x, double y, string text, string anchor = "middle", params object?[] more) =>
        Element("text", At("x", x), At("y", y), new XAttribute("dy", "0.35em"), anchor == "start" ? null : new XAttribute("text-anchor", anchor), more, text);

    /// <summary>Sets an attribute and returns the element, for one-line styling.</summary>
    public static XElement With(this XElement element, string name, string value)
    {
        element.SetAttributeValue(name, value);
        return element;
    }

    public static XAttribute At(string name, double value) => new(name, Number(value));

    public static string Number(double value)
    {
        var text = Math.Round(value, 1).ToString("0.#", CultureInfo.InvariantCulture);
        return text == "-0" ? "0" : text;
    }

    /// <summary>An estimate of a text's width in pixels (no font metrics without a renderer): 0.55 em a character,
    /// a little over the average of common sans-serif fonts, so labels get room rather than overlap.</summary>
    public static double TextWidth(string text, double size = FontSize) => text.Length * size * 0.55;

    /// <summary>A label cut to <paramref name="max"/> characters, with an ellipsis, so long labels cannot push the plot away.</summary>
    public static string Shorten(string label, int max) => label.Length <= max ? label : label[..(max - 1)] + "…";
}
