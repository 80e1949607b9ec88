using Course.Attention;
using static TorchSharp.torch;

namespace Course;

public static partial class Exercises
{
    /// <summary>Chapter 02, multi-head causal attention. Each right answer is computed here from the library.</summary>
    public static class Chapter02
    {
        /// <param name="parametersWithoutBias">Exercise 1: the parameters of a MultiHeadAttention with d = 64, 8 heads and no biases.</param>
        /// <param name="weightsShape">Exercise 2: the shape of the attention weights for a batch of 2 sequences of 10 tokens,
        /// d = 32 and 4 heads.</param>
        /// <param name="splitHeads">Exercise 4: (x, heads) ↦ x of shape (B, T, d) as (B, heads, T, d / heads), head h holding
        /// features h·d_k to (h + 1)·d_k − 1.</param>
        /// <param name="attentionByHand">Exercise 5: (module, x) ↦ the module's output, computed from its c_attn and c_proj
        /// parameters (any number of heads, causal).</param>
        public static ExerciseReport Check(long? parametersWithoutBias = null, long[]? weightsShape = null,
            Func<Tensor, long, Tensor>? splitHeads = null, Func<MultiHeadAttention, Tensor, Tensor>? attentionByHand = null)
        {
            using var scope = NewDisposeScope();
            var withoutBias = new MultiHeadAttention(64, 8, causal: true, bias: false);
            var shaped = new MultiHeadAttention(32, 4, causal: true);
            var (_, weights) = shaped.ForwardWithWeights(zeros(2, 10, 32));
            var generator = new Generator(2);
            var x = randn([2, 6, 24], generator: generator);
            var reference = new MultiHeadAttention(24, 3, causal: true);
            using (no_grad())
                foreach (var p in reference.parameters()) p.copy_(randn(p.shape, generator: generator) * 0.3);
            long dK = 24 / 3;
            var heads = stack(Enumerable.Range(0, 3).Select(h => x[.., .., (h * (int)dK)..((h + 1) * (int)dK)]), dim: 1);
            return new ExerciseReport("02")
                .Number(1, "parameters with d = 64, 8 heads, no biases", parametersWithoutBias, withoutBias.parameters().Sum(p => p.numel()))
                .Judge(2, "the attention weights' shape", weightsShape, given => given.SequenceEqual(weights.shape)
                    ? null
                    : $"[{string.Join(", ", given)}] is not it")
                .Judge(4, "split the heads", splitHeads, f => Tensors.Differ(f(x, 3), heads, 0))
                .Judge(5, "multi-head attention by hand", attentionByHand, f =>
                {
                    using var noGrad = no_grad();
                    return Tensors.Differ(f(reference, x), reference.forward(x), 1e-4);
                });
        }
    }
}
