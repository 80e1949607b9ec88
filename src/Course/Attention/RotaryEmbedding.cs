using TorchSharp;
using static TorchSharp.torch;

namespace Course.Attention;

/// <summary>
/// Rotary position embeddings, RoPE (Su et al., 2021): instead of adding a position vector to the token, rotate each
/// query and key by an angle proportional to its position. Dimension i of the first half and dimension i + d/2 form
/// a pair (Hugging Face's layout of Llama) that turns by m·θᵢ at position m, with θᵢ = base^(−2i/d): fast turns in
/// the first pairs, slow ones in the last.
/// </summary>
/// <remarks>
/// Rotations compose, so a query at position m and a key at position n score (R_m q)·(R_n k) = q·(R_{n−m} k): the
/// score depends on the offset n − m only, never on where the pair sits. Nothing is learned. The cos and sin tables
/// for positions 0 … maxPositions − 1 are buffers (they move with the module) that checkpoints do not store.
/// </remarks>
public sealed class RotaryEmbedding : nn.Module
{
    private readonly Tensor cos, sin;

    public RotaryEmbedding(long headSize, long maxPositions, double theta = 10_000) : base(nameof(RotaryEmbedding))
    {
        if (headSize % 2 != 0) throw new ArgumentException($"RoPE rotates pairs of dimensions: the head size must be even (got {headSize}).");
        using var scope = NewDisposeScope();
        var frequencies = (arange(0, headSize, 2, dtype: ScalarType.Float64) * (-Math.Log(theta) / headSize)).exp();   // θᵢ = base^(−2i/d), (d/2)
        var angles = outer(arange(maxPositions, dtype: ScalarType.Float64), frequencies);              // m·θᵢ, (P, d/2)
        var both = cat([angles, angles], dim: -1);                                                   // (P, d): pair i and i + d/2 share an angle
        cos = both.cos().to(ScalarType.Float32).MoveToOuterDisposeScope();
        sin = both.sin().to(ScalarType.Float32).MoveToOuterDisposeScope();
        register_buffer(nameof(cos), cos, persistent: false);
        register_buffer(nameof(sin), sin, persistent: false);
        Theta = theta;
    }

    public double Theta { get; }

    /// <summary>Positions the tables cover.</summary>
    public long MaxPositions => cos.size(0);

    /// <summary>Rotates <paramref name="x"/> (…, T, d), whose rows are positions start … start + T − 1.</summary>
    public Tensor Rotate(Tensor x, long start = 0)
    {
        var (t, half) = (x.size(-2), x.size(-1) / 2);
        if (start + t > MaxPositions)
            throw new ArgumentException($"Positions {start}…{start + t - 1} exceed the {MaxPositions} that RoPE's tables cover (the block size).");
        var c = cos.narrow(0, start, t).to(x.dtype);
        var s = sin.narrow(0, start, t).to(x.dtype);
        // (x₁, x₂) ↦ (x₁ cos − x₂ sin, x₂ cos + x₁ sin) for each pair (i, i + d/2).
        var rotatedHalf = cat([-x.narrow(-1, half, half), x.narrow(-1, 0, half)], dim: -1);
        return x * c + rotatedHalf * s;
    }
}
