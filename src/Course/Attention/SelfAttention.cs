using TorchSharp;
using static TorchSharp.torch;

namespace Course.Attention;

/// <summary>
/// What every self-attention variant of the course shares once queries, keys and values are made: n_head query heads
/// of d_k = d_model / n_head dimensions, n_kv_head key/value heads (each shared by n_head / n_kv_head query heads),
/// an optional <see cref="KvCache"/> for generation, and the attention itself, through the fused kernel or, when
/// <see cref="KeepWeights"/> is set, through the explicit formula that also gives the weights for plots.
/// </summary>
/// <remarks>
/// Subclasses make q, k and v (<see cref="Project"/>) and project the merged heads back (<see cref="Output"/>), and
/// own the modules that do it. With a cache, the new positions' keys and values are appended to it and the queries
/// attend to every cached position: the causal mask is aligned to the end, so query i of T new tokens sees the
/// cached keys and the new keys up to its own position.
/// </remarks>
public abstract class SelfAttention : nn.Module<Tensor, Tensor>
{
    private KvCache? cache;

    protected SelfAttention(string name, long dModel, long nHead, long nKvHead, bool causal, double dropout) : base(name)
    {
        if (nHead <= 0 || dModel % nHead != 0)
            throw new ArgumentException($"d_model ({dModel}) must be divisible by n_head ({nHead}): each head gets d_model / n_head dimensions.");
        if (nKvHead <= 0 || nKvHead > nHead || nHead % nKvHead != 0)
            throw new ArgumentException($"n_kv_head ({nKvHead}) must divide n_head ({nHead}): each key/value head serves n_head / n_kv_head query heads.");
        (DModel, Heads, KvHeads, HeadSize, Causal, DropoutRate) = (dModel, nHead, nKvHead, dModel / nHead, causal, dropout);
    }

    public long DModel { get; }
    public long Heads { get; }
    public long KvHeads { get; }
    public long HeadSize { get; }
    public bool Causal { get; }
    public double DropoutRate { get; }

    /// <summary>The keys and values of earlier positions, while generating; null otherwise. Only causal attention can
    /// be cached: without the mask, earlier positions would attend to later ones and change.</summary>
    public KvCache? Cache
    {
        get => cache;
        set => cache = value is null || Causal ? value : throw new InvalidOperationException("Only causal attention can use a KV cache.");
    }

    /// <summary>When set, forward computes the explicit formula and keeps its weights in <see cref="Weights"/>.</summary>
    public bool KeepWeights { get; set; }

    /// <summary>The attention weights (batch, n_head, queries, keys) of the last forward with <see cref="KeepWeights"/> set.</summary>
    public Tensor? Weights { get; private set; }

    public override Tensor forward(Tensor x)
    {
        // Intermediates are freed by the caller's dispose scope (one per training step), as everywhere in the models.
        var (q, k, v) = Project(x, start: cache?.Length ?? 0);
        if (cache is not null) (k, v) = cache.Append(k, v);
        (k, v) = (ShareKvHeads(k), ShareKvHeads(v));
        Tensor y;
        if (KeepWeights)
        {
            (y, var weights) = ScaledDotProductAttention.Explicit(q, k, v, causal: Causal, dropout: DropoutRate, training: training);
            Weights = weights;
        }
        else y = ScaledDotProductAttention.Fused(q, k, v, causal: Causal, dropout: DropoutRate, training: training);
        return Output(y.transpose(1, 2).contiguous().view(y.size(0), y.size(2), Heads * HeadSize));
    }

    /// <summary>The output and the attention weights (batch, n_head, T, T) of one pass through the explicit formula,
    /// for plots. Runs through <c>call</c>, so hooks see it like any forward.</summary>
    public (Tensor Output, Tensor Weights) ForwardWithWeights(Tensor x)
    {
        var keep = KeepWeights;
        KeepWeights = true;
        try
        {
            var output = call(x);
            return (output, Weights!);
        }
        finally
        {
            KeepWeights = keep;
        }
    }

    /// <summary>(B, T, d_model) → q (B, n_head, T, d_k), k and v (B, n_kv_head, T, d_k), for positions start, start + 1, ….</summary>
    protected abstract (Tensor Q, Tensor K, Tensor V) Project(Tensor x, long start);

    /// <summary>The merged heads (B, T, n_head·d_k) back to the model width (B, T, d_model).</summary>
    protected abstract Tensor Output(Tensor merged);

    /// <summary>(B, T, heads·d_k) → (B, heads, T, d_k).</summary>
    protected Tensor SplitHeads(Tensor t, long heads) => t.view(t.size(0), t.size(1), heads, HeadSize).transpose(1, 2);

    /// <summary>Repeats each key/value head for the n_head / n_kv_head query heads of its group: head h reads group
    /// h / (n_head / n_kv_head). The cache keeps the unrepeated heads, which is what grouped-query attention saves.</summary>
    private Tensor ShareKvHeads(Tensor t)
    {
        if (KvHeads == Heads) return t;
        var (b, s) = (t.size(0), t.size(2));
        return t.unsqueeze(2).expand(b, KvHeads, Heads / KvHeads, s, HeadSize).reshape(b, Heads, s, HeadSize);
    }
}
