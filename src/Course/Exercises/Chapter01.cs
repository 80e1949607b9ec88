using Course.Attention;
using static TorchSharp.torch;

namespace Course;

public static partial class Exercises
{
    /// <summary>Chapter 01, scaled dot-product attention. Each right answer is computed here from the library.</summary>
    public static class Chapter01
    {
        /// <summary>The chapter's three tokens (the, cat, sat): queries, keys and values with d_k = d_v = 4.</summary>
        private static (Tensor Q, Tensor K, Tensor V) ThreeTokens() => (
            tensor(new float[] { 1, 0, 1, 0, 0, 2, 0, 1, 1, 1, 1, 1 }, 3, 4),
            tensor(new float[] { 1, 0, 1, 0, 0, 1, 0, 1, 1, 1, 0, 0 }, 3, 4),
            tensor(new float[] { 1, 2, 0, 0, 0, 1, 3, 0, 0, 0, 1, 4 }, 3, 4));

        /// <param name="unscaledWeight">Exercise 1: the weight query 0 (the) gives key 0 without the division by √d_k.</param>
        /// <param name="catPaddedWeight">Exercise 2: the weight query 1 (cat) gives key 2 (sat) when key 1 (cat) is padding.</param>
        /// <param name="divisor">Exercise 3: what to divide q·k by, for d_k = 64 and q, k entries of standard deviation 2,
        /// so that the scores have variance 1.</param>
        /// <param name="maskedAttention">Exercise 5: (q, k, v, mask) ↦ softmax(qkᵀ/√d_k, masked)·v, mask true where allowed.</param>
        public static ExerciseReport Check(double? unscaledWeight = null, double? catPaddedWeight = null, double? divisor = null,
            Func<Tensor, Tensor, Tensor, Tensor, Tensor>? maskedAttention = null)
        {
            using var scope = NewDisposeScope();
            var (q, k, v) = ThreeTokens();
            var unscaled = q.matmul(k.T).softmax(-1)[0, 0].item<float>();
            var catIsPadding = tensor(new[] { true, false, true }).unsqueeze(0);   // true where attending is allowed
            var (_, paddedWeights) = ScaledDotProductAttention.Explicit(q, k, v, mask: catIsPadding);
            // Var(q·k) = d_k·σ_q²·σ_k² for independent entries, so dividing by its square root gives variance 1.
            const double dK = 64, sigma = 2;
            var generator = new Generator(1);
            var bq = randn([2, 5, 8], generator: generator);
            var bk = randn([2, 7, 8], generator: generator);
            var bv = randn([2, 7, 3], generator: generator);
            // Random allowed pairs, and every query may attend at least to the key of its own position.
            var mask = rand([2, 5, 7], generator: generator).gt(0.4).logical_or(eye(5, 7, dtype: ScalarType.Bool));
            return new ExerciseReport("01")
                .Number(1, "the weight of \"the\" on itself, without √d_k", unscaledWeight, unscaled, 5e-4)
                .Number(2, "the weight of \"cat\" on \"sat\", cat padded", catPaddedWeight, paddedWeights[1, 2].item<float>(), 5e-4)
                .Number(3, "the divisor that brings Var(q·k) back to 1", divisor, Math.Sqrt(dK * sigma * sigma * sigma * sigma), 1e-6)
                .Judge(5, "attention with a mask", maskedAttention,
                    f => Tensors.Differ(f(bq, bk, bv, mask), ScaledDotProductAttention.Explicit(bq, bk, bv, mask: mask).Output, 1e-5));
        }
    }
}
