using System.Globalization;
using static TorchSharp.torch;

namespace Course;

/// <summary>
/// Claims a notebook makes about its own numbers, checked where they are computed: a false claim throws
/// <see cref="ClaimFailedException"/>, so the notebook runner (and CI) fails the chapter instead of printing
/// a text that no longer matches the code above it.
/// </summary>
public static class Check
{
    /// <summary>Throws unless <paramref name="ok"/>; <paramref name="claim"/> says what should have been true.</summary>
    public static void That(bool ok, string claim)
    {
        if (!ok) throw new ClaimFailedException(claim);
    }

    /// <summary>|actual − expected| ≤ tolerance, with both numbers in the message when it fails. NaN never passes.</summary>
    public static void Close(double actual, double expected, double tolerance, string claim)
    {
        var difference = Math.Abs(actual - expected);
        // Written as !(≤) so that a NaN difference fails too.
        if (!(difference <= tolerance))
            throw new ClaimFailedException($"{claim}: got {Format(actual)}, expected {Format(expected)} (difference {Format(difference)} > tolerance {Format(tolerance)})");
    }

    /// <summary>Same shape and every element within <paramref name="tolerance"/>; the message gives the largest difference.</summary>
    public static void Close(Tensor actual, Tensor expected, double tolerance, string claim)
    {
        if (!actual.shape.SequenceEqual(expected.shape))
            throw new ClaimFailedException($"{claim}: shapes differ, [{string.Join(", ", actual.shape)}] vs [{string.Join(", ", expected.shape)}]");
        var largest = LargestDifference(actual, expected);
        if (!(largest <= tolerance))
            throw new ClaimFailedException($"{claim}: largest difference {Format(largest)} > tolerance {Format(tolerance)}");
    }

    /// <summary>The largest absolute elementwise difference of two tensors of one shape (0 when they are empty; NaN
    /// when an element is NaN). In float64, so that the comparison itself adds no rounding of its own.</summary>
    public static double LargestDifference(Tensor actual, Tensor expected)
    {
        using var scope = NewDisposeScope();
        return actual.numel() == 0 ? 0.0 : (actual.to(ScalarType.Float64) - expected.to(ScalarType.Float64)).abs().max().item<double>();
    }

    private static string Format(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}

/// <summary>A claim a chapter makes about its numbers turned out false.</summary>
public sealed class ClaimFailedException(string claim) : Exception($"Claim failed: {claim}")
{
    public string Claim { get; } = claim;
}
