using System.Globalization;

namespace Course.Visualization;

/// <summary>The trace colours plotly.js uses by default (D3's category10), so the SVG and the interactive chart
/// colour each trace alike.</summary>
internal static class Palette
{
    private static readonly string[] Colors =
        ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

    public static string Of(int traceIndex) => Colors[traceIndex % Colors.Length];
}

/// <summary>Plotly's "Viridis" scale (the same stops as plotly.js): sequential, readable in grey and by most
/// colour-blind readers.</summary>
internal static class ColorScale
{
    public const string Name = "Viridis";

    private static readonly (double At, int Rgb)[] Stops =
    [
        (0, 0x440154), (16 / 255.0, 0x48186a), (32 / 255.0, 0x472d7b), (48 / 255.0, 0x424086), (64 / 255.0, 0x3b528b),
        (80 / 255.0, 0x33638d), (96 / 255.0, 0x2c728e), (112 / 255.0, 0x26828e), (128 / 255.0, 0x21918c), (144 / 255.0, 0x1fa088),
        (160 / 255.0, 0x28ae80), (176 / 255.0, 0x3fbc73), (192 / 255.0, 0x5ec962), (208 / 255.0, 0x84d44b), (224 / 255.0, 0xaddc30),
        (240 / 255.0, 0xd8e219), (1, 0xfde725),
    ];

    /// <summary>The colour at <paramref name="t"/> in [0, 1], interpolated between stops as plotly.js does (in RGB).</summary>
    public static (int R, int G, int B) At(double t)
    {
        t = Math.Clamp(t, 0, 1);
        var upper = Array.FindIndex(Stops, s => s.At >= t);
        if (upper <= 0) return Channels(Stops[0].Rgb);
        var (low, high) = (Stops[upper - 1], Stops[upper]);
        var f = (t - low.At) / (high.At - low.At);
        var (a, b) = (Channels(low.Rgb), Channels(high.Rgb));
        return ((int)Math.Round(a.R + f * (b.R - a.R)), (int)Math.Round(a.G + f * (b.G - a.G)), (int)Math.Round(a.B + f * (b.B - a.B)));
    }

    public static string Hex((int R, int G, int B) c) => string.Create(CultureInfo.InvariantCulture, $"#{c.R:x2}{c.G:x2}{c.B:x2}");

    /// <summary>Text on a cell of this colour: white on the dark end of the scale, near-black on the light end.</summary>
    public static string TextOn((int R, int G, int B) c) => 0.2126 * c.R + 0.7152 * c.G + 0.0722 * c.B < 140 ? "#fff" : "#222";

    private static (int R, int G, int B) Channels(int rgb) => (rgb >> 16 & 0xff, rgb >> 8 & 0xff, rgb & 0xff);
}
