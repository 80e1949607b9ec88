using TorchSharp;
using static TorchSharp.torch;

namespace Course.Attention;

/// <summary>
/// Scaled dot-product attention, Attention(Q, K, V) = softmax(Q Kᵀ / √d_k) V (Vaswani et al., 2017),
/// written out (<see cref="Explicit"/>, which also returns the weights for teaching and plots) and fused
/// (<see cref="Fused"/>, libtorch's scaled_dot_product_attention: flash attention on CUDA).
/// </summary>
/// <remarks>
/// Shapes: q is (..., L, d_k), k is (..., S, d_k), v is (..., S, d_v); the output is (..., L, d_v) and the
/// weights (..., L, S). Masks follow PyTorch: a boolean mask is true where a query may attend to a key; a
/// floating mask is added to the scores (use -∞ to forbid). Both broadcast to (..., L, S).
/// A query row whose keys are all masked has nothing to attend to: we define its weights, and so its output,
/// as zeros (plain softmax would give 0/0 = NaN, which then poisons the gradients of the whole batch).
/// </remarks>
public static class ScaledDotProductAttention
{
    public static (Tensor Output, Tensor Weights) Explicit(Tensor q, Tensor k, Tensor v, Tensor? mask = null, bool causal = false,
        double dropout = 0.0, bool training = false)
    {
        using var scope = NewDisposeScope();
        var scores = q.matmul(k.transpose(-2, -1)) / Math.Sqrt(q.size(-1));
        if (causal) scores = scores.masked_fill(CausalMask(q.size(-2), k.size(-2), q.device).logical_not(), double.NegativeInfinity);
        if (mask is not null)
            scores = mask.dtype == ScalarType.Bool ? scores.masked_fill(mask.logical_not(), double.NegativeInfinity) : scores + mask;
        // Rows with every key masked: softmax over finite stand-in scores, then zero weights. Zeroing a NaN row
        // after the fact would not do: its NaN would still flow back through softmax into the gradients.
        var fullyMasked = scores.amax([-1], keepdim: true).eq(double.NegativeInfinity);
        var weights = scores.masked_fill(fullyMasked, 0.0).softmax(-1).masked_fill(fullyMasked, 0.0);
        if (dropout > 0 && training) weights = nn.functional.dropout(weights, dropout, training: true);
        var output = weights.matmul(v);
        return (output.MoveToOuterDisposeScope(), weights.MoveToOuterDisposeScope());
    }

    public static Tensor Fused(Tensor q, Tensor k, Tensor v, Tensor? mask = null, bool causal = false,
        double dropout = 0.0, bool training = false)
    {
        var p = training ? dropout : 0.0;
        var (queries, keys) = (q.size(-2), k.size(-2));
        if (mask is null)
        {
            // libtorch's is_causal aligns the mask to the top left, right only when queries and keys are the same
            // positions. One query after cached keys (generation) may see every key, so it needs no mask at all.
            if (!causal || queries == keys) return nn.functional.scaled_dot_product_attention(q, k, v, p: p, is_casual: causal);
            if (queries == 1) return nn.functional.scaled_dot_product_attention(q, k, v, p: p);
        }

        // libtorch gives NaN where every key of a row is masked. Same definition as Explicit: such rows attend
        // to every key (finite, so no NaN forward or backward), then their output is zeroed.
        using var scope = NewDisposeScope();
        var allowed = mask is null ? CausalMask(queries, keys, q.device)
            : mask.dtype == ScalarType.Bool ? mask : mask.gt(double.NegativeInfinity);
        if (causal && mask is not null) allowed = allowed.logical_and(CausalMask(queries, keys, q.device));
        var fullyMasked = allowed.any(-1, keepdim: true).logical_not();
        var combined = mask is null || mask.dtype == ScalarType.Bool
            ? allowed.logical_or(fullyMasked)
            : where(allowed, mask, full(1, double.NegativeInfinity, dtype: mask.dtype, device: mask.device)).masked_fill(fullyMasked, 0.0);
        var output = nn.functional.scaled_dot_product_attention(q, k, v, combined, p);
        return output.masked_fill(fullyMasked, 0.0).MoveToOuterDisposeScope();
    }

    /// <summary>Lower-triangular (L, S) boolean mask: query i may attend to keys 0..i (aligned to the end when S > L).</summary>
    public static Tensor CausalMask(long queries, long keys, Device? device = null) =>
        ones(queries, keys, dtype: ScalarType.Bool, device: device).tril(keys - queries);
}
