using Course.Models;
using static TorchSharp.torch;

namespace Course.Shipping.Compression;

/// <summary>
/// Unstructured magnitude pruning after training: in every weight matrix of the transformer blocks (QKV, attention
/// output, the MLP's two layers) the given fraction of weights with the smallest |w| is set to zero, layer by layer.
/// Embeddings and LayerNorms stay whole: they are few parameters and every token depends on them.
/// </summary>
public static class MagnitudePruning
{
    /// <summary>Zeroes <paramref name="sparsity"/> of each block matrix of <paramref name="model"/> in place; returns how many weights it zeroed.</summary>
    public static long Prune(Gpt model, double sparsity)
    {
        if (sparsity is < 0 or >= 1 || double.IsNaN(sparsity)) throw new UserError($"Sparsity must be in [0, 1) (got {sparsity}): 1 would zero every weight.");
        using var noGrad = no_grad();
        long zeroed = 0;
        foreach (var (_, weight) in BlockMatrices(model))
        {
            var k = (long)Math.Round(sparsity * weight.numel());
            if (k == 0) continue;
            using var scope = NewDisposeScope();
            var magnitude = weight.abs();
            var threshold = magnitude.flatten().kthvalue(k, 0).values;
            weight.masked_fill_(magnitude <= threshold, 0);
            zeroed += k;
        }
        return zeroed;
    }

    /// <summary>The fraction of zeros in the block matrices.</summary>
    public static double Sparsity(Gpt model)
    {
        long zeros = 0, total = 0;
        foreach (var (_, weight) in BlockMatrices(model))
        {
            using var zero = weight.eq(0).sum();
            zeros += zero.item<long>();
            total += weight.numel();
        }
        return (double)zeros / total;
    }

    private static IEnumerable<(string Name, Tensor Weight)> BlockMatrices(Gpt model) =>
        model.named_parameters().Where(p => p.name.StartsWith("transformer.h.", StringComparison.Ordinal) && p.parameter.dim() == 2)
            .Select(p => (p.name, (Tensor)p.parameter));
}
