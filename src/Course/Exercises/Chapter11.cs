using Course.Attention;
using Course.Models;
using static TorchSharp.torch;

namespace Course;

public static partial class Exercises
{
    /// <summary>Chapter 11, from GPT-2 to Llama. Each right answer is computed here from the library.</summary>
    public static class Chapter11
    {
        /// <param name="gpt2CacheBytes">Exercise 1: GPT-2 small's KV cache for 2,048 tokens, one sequence, fp32, in bytes.</param>
        /// <param name="swigluWeights">Exercise 2: weights of a SwiGLU MLP for d = 128 with the chapter's hidden width.</param>
        /// <param name="ropeScore">Exercise 3: the score of q = k = (1, 0) rotated to positions 7 (query) and 3 (key), d_k = 2.</param>
        /// <param name="rmsNorm">Exercise 4: x ↦ RMSNorm(x) over the last dimension, gain 1, ε = 1e-5.</param>
        /// <param name="rotate">Exercise 5: x (T, d_k) ↦ each row t rotated by RoPE to position t, pairs (i, i + d_k/2).</param>
        public static ExerciseReport Check(long? gpt2CacheBytes = null, long? swigluWeights = null, double? ropeScore = null,
            Func<Tensor, Tensor>? rmsNorm = null, Func<Tensor, Tensor>? rotate = null)
        {
            using var scope = NewDisposeScope();
            var gpt2 = Preset.Named("gpt2").Model;
            long cacheBytes = 2L * gpt2.NLayer * gpt2.KvHeads * 2048 * gpt2.HeadSize * sizeof(float);
            int hidden = (8 * 128 / 3 + 7) / 8 * 8;   // 8/3·d rounded up to a multiple of 8, as the chapter's
            long swiglu = new SwiGluMlp(128, hidden).parameters().Sum(p => p.numel());
            var pair = new RotaryEmbedding(headSize: 2, maxPositions: 8);
            var unit = tensor(new float[] { 1, 0 }).reshape(1, 2);
            double score = (pair.Rotate(unit, start: 7) * pair.Rotate(unit, start: 3)).sum().item<float>();

            var generator = new Generator(11);
            var x = randn([3, 5, 16], generator: generator) * 3 + 1;
            var positions = randn([12, 8], generator: generator);
            return new ExerciseReport("11")
                .Number(1, "GPT-2 small's KV cache at 2,048 tokens (bytes)", gpt2CacheBytes, cacheBytes)
                .Number(2, "SwiGLU weights at d = 128", swigluWeights, swiglu)
                .Number(3, "RoPE score, query at 7, key at 3", ropeScore, score, 1e-3)
                .Judge(4, "RMSNorm by hand", rmsNorm, f => Tensors.Differ(f(x), new RmsNorm(16).call(x), 1e-4))
                .Judge(5, "RoPE by hand", rotate, f => Tensors.Differ(f(positions), new RotaryEmbedding(8, 12).Rotate(positions), 1e-4));
        }
    }
}
