using System.Globalization;
using static TorchSharp.torch;

namespace Course;

public static partial class Exercises
{
    /// <summary>Verdicts on a tensor a learner's code returned.</summary>
    internal static class Tensors
    {
        /// <summary>Null when <paramref name="actual"/> has <paramref name="expected"/>'s shape and every element is within
        /// <paramref name="tolerance"/>; otherwise what differs.</summary>
        public static string? Differ(Tensor actual, Tensor expected, double tolerance)
        {
            if (!actual.shape.SequenceEqual(expected.shape))
                return $"the shape is [{string.Join(", ", actual.shape)}], expected [{string.Join(", ", expected.shape)}]";
            var largest = Check.LargestDifference(actual, expected);
            return largest <= tolerance ? null : $"an element differs by {largest.ToString("G3", CultureInfo.InvariantCulture)} (the check allows {tolerance.ToString("G3", CultureInfo.InvariantCulture)})";
        }
    }
}
