using System.Globalization;

namespace Course.Visualization;

/// <summary>"Nice" tick values (1, 2 or 5 times a power of ten) and their labels, for the SVG's axes.</summary>
internal static class Ticks
{
    /// <summary>About <paramref name="target"/> ticks at a nice step within [low, high].</summary>
    public static (IReadOnlyList<double> Values, double Step) Linear(double low, double high, int target)
    {
        var step = NiceStep((high - low) / Math.Max(target, 1));
        var values = new List<double>();
        for (var k = Math.Ceiling(low / step - 1e-9); k * step <= high + step * 1e-9; k++)
            values.Add(Clean(k * step));
        return (values, step);
    }

    /// <summary>Ticks for a log axis spanning 10^low to 10^high: every decade (or every n-th) over a wide span,
    /// 1-2-5 within each decade over a narrow one, and linear ticks when the span is under half a decade.</summary>
    public static IReadOnlyList<double> Log(double low, double high, int target)
    {
        var span = high - low;
        if (span >= 3)
        {
            var every = Math.Max(1, (int)Math.Ceiling(span / Math.Max(target, 1)));
            return Enumerable.Range((int)Math.Ceiling(low), (int)Math.Floor(high) - (int)Math.Ceiling(low) + 1)
                .Where(d => d % every == 0).Select(d => Math.Pow(10, d)).ToList();
        }
        if (span >= 0.5)
            return Enumerable.Range((int)Math.Floor(low), (int)Math.Ceiling(high) - (int)Math.Floor(low) + 1)
                .SelectMany(d => new[] { 1, 2, 5 }.Select(m => Clean(m * Math.Pow(10, d))))
                .Where(v => Math.Log10(v) >= low - 1e-9 && Math.Log10(v) <= high + 1e-9).ToList();
        return Linear(Math.Pow(10, low), Math.Pow(10, high), target).Values.Where(v => v > 0).ToList();
    }

    /// <summary>Labels of linear ticks, alike in form: as many decimals as the step needs, and k/M/G for large
    /// values as Plotly writes them (0, 5k, 10k rather than 0, 5000, 10k).</summary>
    public static IReadOnlyList<string> Labels(IReadOnlyList<double> values, double step)
    {
        var (scale, suffix) = Magnitude(values.Select(Math.Abs).DefaultIfEmpty(0).Max());
        var digits = Math.Clamp((int)-Math.Floor(Math.Log10(step / scale) + 1e-9), 0, 10);
        return values.Select(v => v == 0 ? "0" : Fixed(v / scale, digits) + suffix).ToList();
    }

    /// <summary>A log tick's label: 0.01, 20, 5k, 1M, and 1e-5 below a thousandth (as learning rates are written).</summary>
    public static string LogLabel(double value)
    {
        if (value < 1e-3) return value.ToString("0.#e0", CultureInfo.InvariantCulture);
        var (scale, suffix) = Magnitude(value);
        return Fixed(value / scale, Math.Clamp((int)-Math.Floor(Math.Log10(value / scale) + 1e-9), 0, 10)) + suffix;
    }

    private static double NiceStep(double rough)
    {
        if (!(rough > 0) || !double.IsFinite(rough)) return 1;
        var power = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        var fraction = rough / power;
        return power * (fraction < 1.5 ? 1 : fraction < 3.5 ? 2 : fraction < 7.5 ? 5 : 10);
    }

    private static (double Scale, string Suffix) Magnitude(double largest) =>
        largest >= 1e9 ? (1e9, "G") : largest >= 1e6 ? (1e6, "M") : largest >= 1e4 ? (1e3, "k") : (1, "");

    private static string Fixed(double value, int digits)
    {
        var text = Math.Round(value, digits).ToString(digits == 0 ? "0" : "0." + new string('#', digits), CultureInfo.InvariantCulture);
        return text == "-0" ? "0" : text;
    }

    /// <summary>k × step carries float error (3 × 0.1 = 0.30000000000000004); 12 significant digits remove it.</summary>
    private static double Clean(double value) => double.Parse(value.ToString("G12", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}
