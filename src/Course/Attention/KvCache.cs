using TorchSharp;
using static TorchSharp.torch;

namespace Course.Attention;

/// <summary>
/// One attention layer's keys and values for the positions it has already seen: the KV cache. A causal model never
/// changes the keys and values of earlier positions, so while generating, each new token needs its own k and v
/// only; the rest are read from here instead of being computed again from the whole context.
/// </summary>
/// <remarks>
/// The buffers, (batch, n_kv_head, capacity, d_k) each, are allocated once and filled in place: <see cref="Append"/>
/// writes the new positions after the cached ones and returns views of everything cached so far. The cache owns
/// its buffers (they live outside any dispose scope) until it is disposed.
/// </remarks>
public sealed class KvCache : IDisposable
{
    private readonly Tensor keys, values;

    public KvCache(long batch, long kvHeads, long capacity, long headSize, ScalarType dtype, Device device)
    {
        keys = zeros([batch, kvHeads, capacity, headSize], dtype, device).DetachFromDisposeScope();
        values = zeros([batch, kvHeads, capacity, headSize], dtype, device).DetachFromDisposeScope();
    }

    /// <summary>Positions the buffers have room for (the model's block size).</summary>
    public long Capacity => keys.size(2);

    /// <summary>Positions cached so far; the next token's position.</summary>
    public long Length { get; private set; }

    /// <summary>Memory held by the keys and values, in bytes.</summary>
    public long Bytes => 2 * keys.numel() * keys.ElementSize;

    /// <summary>Stores <paramref name="k"/> and <paramref name="v"/> (batch, n_kv_head, T, d_k) after the cached positions and
    /// returns the keys and values of all Length + T positions.</summary>
    public (Tensor Keys, Tensor Values) Append(Tensor k, Tensor v)
    {
        var end = Length + k.size(2);
        if (end > Capacity)
            throw new InvalidOperationException($"The KV cache has room for {Capacity} positions; {k.size(2)} more after {Length} do not fit. Reset it, or crop the context.");
        keys.narrow(2, Length, k.size(2)).copy_(k);
        values.narrow(2, Length, v.size(2)).copy_(v);
        Length = end;
        return (keys.narrow(2, 0, end), values.narrow(2, 0, end));
    }

    /// <summary>Forgets every cached position (the buffers are kept and overwritten).</summary>
    public void Reset() => Length = 0;

    public void Dispose()
    {
        keys.Dispose();
        values.Dispose();
    }
}
