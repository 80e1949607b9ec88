namespace Course.Visualization;

/// <summary>A span of an axis in its own units: values for a linear axis, log10 of values for a log axis.</summary>
internal readonly record struct Span(double Low, double High)
{
    /// <summary>The span of the finite values, widened by <paramref name="padding"/> (a fraction of it) on each
    /// side; with <paramref name="fromZero"/> it reaches zero and is not padded past it (bars start at zero).
    /// A single value gets a span around it; no values get [0, 1].</summary>
    public static Span Of(IEnumerable<double> values, double padding, bool fromZero = false)
    {
        var finite = values.Where(double.IsFinite).ToList();
        if (finite.Count == 0) return new(0, 1);
        var (low, high) = (finite.Min(), finite.Max());
        if (fromZero) (low, high) = (Math.Min(low, 0), Math.Max(high, 0));
        if (low == high)
        {
            var half = low == 0 ? 1 : Math.Abs(low) * 0.1;
            return new(low - half, high + half);
        }
        var pad = (high - low) * padding;
        return new(fromZero && low == 0 ? 0 : low - pad, fromZero && high == 0 ? 0 : high + pad);
    }

    public double Width => High - Low;
}

/// <summary>Maps an axis's values to pixels, linearly or logarithmically.</summary>
internal sealed class Scale(Span span, bool log, double from, double to)
{
    /// <summary>The pixel of a value (for a log axis, of a positive value).</summary>
    public double this[double value] => Map(Unit(value, log));

    /// <summary>The pixel of a position in axis units (log10 of the value on a log axis).</summary>
    public double Map(double unit) => from + (unit - span.Low) / span.Width * (to - from);

    /// <summary>Pixels per axis unit.</summary>
    public double PixelsPerUnit => Math.Abs(to - from) / span.Width;

    public static double Unit(double value, bool log) => log ? Math.Log10(value) : value;
}
