using Course.Attention;
using Course.Evaluation;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Course.Models;

/// <summary>
/// A decoder-only language model, whatever its blocks (<see cref="Gpt"/>, <see cref="Llama"/>): token ids in, one
/// next-token distribution per position out, through a token embedding that the output layer reuses (weight tying).
/// What the trainer, the evaluator, checkpoints and generation need is here, once for both architectures.
/// </summary>
/// <remarks>
/// Forward passes create many intermediates: call them inside a dispose scope (one per training step). Submodules run
/// through <c>call</c>, so hooks registered on any of them (register_forward_hook) see every pass.
/// </remarks>
public abstract class LanguageModel : nn.Module<Tensor, Tensor>
{
    protected LanguageModel(string name, GptConfig config, Architecture architecture) : base(name)
    {
        Config = config.Validate();
        if (Config.Architecture != architecture)
            throw new ArgumentException($"This config is for the {Config.Architecture} architecture, not {architecture}; make its model with LanguageModel.Create.");
    }

    public GptConfig Config { get; }

    /// <summary>The model the config's architecture names, freshly initialised.</summary>
    public static LanguageModel Create(GptConfig config) => config.Validate().Architecture switch
    {
        Architecture.Llama => new Llama(config),
        _ => new Gpt(config),
    };

    /// <summary>Token ids (B, T) → the final hidden states (B, T, n_embd): the output of the last norm, before the tied
    /// output layer. What a task head (a classifier, say) reads instead of next-token logits. With a KV cache attached
    /// (<see cref="AttachKvCache"/>) the tokens continue the cached positions.</summary>
    public abstract Tensor Hidden(Tensor idx);

    /// <summary>The attention layer of every block, first to last.</summary>
    public abstract IReadOnlyList<SelfAttention> AttentionLayers { get; }

    /// <summary>The token embedding matrix (vocab, n_embd), which is also the output layer.</summary>
    protected abstract Tensor TokenEmbedding { get; }

    /// <summary>The name of the token embedding (the output layer too) among named_parameters: the one parameter of its
    /// shape and values (TorchSharp hands out a new wrapper for each access, so it cannot be found by reference).</summary>
    public string TokenEmbeddingName
    {
        get
        {
            var embedding = TokenEmbedding;
            return named_parameters().Single(p => p.parameter.shape.SequenceEqual(embedding.shape) && p.parameter.eq(embedding).all().item<bool>()).name;
        }
    }

    /// <summary>Parameters that encode positions (GPT's wpe); RoPE has none.</summary>
    protected virtual long PositionParameters => 0;

    /// <summary>Token ids (B, T) → logits (B, T, vocab).</summary>
    public override Tensor forward(Tensor idx) => nn.functional.linear(Hidden(idx), TokenEmbedding);

    /// <summary>The target that the loss skips: PyTorch's default ignore_index of cross_entropy, which TorchSharp shares.</summary>
    public const long IgnoreIndex = -100;

    /// <summary>Logits and the cross-entropy of predicting <paramref name="targets"/> (B, T): the mean (or the sum) over the
    /// targets that are not <see cref="IgnoreIndex"/>, which instruction tuning puts on prompt tokens.</summary>
    public (Tensor Logits, Tensor Loss) forward(Tensor idx, Tensor targets, nn.Reduction reduction = nn.Reduction.Mean)
    {
        var logits = call(idx);
        // The softmax statistics of the loss are computed in fp32 even when the model runs in bf16.
        var loss = nn.functional.cross_entropy(logits.view(-1, logits.size(-1)).to(ScalarType.Float32), targets.reshape(-1), reduction: reduction);
        return (logits, loss);
    }

    /// <summary>Logits (B, vocab) for the position after the last of <paramref name="idx"/> only: generation needs no
    /// others, and for GPT-2 the output layer alone is 50,257 × 768 multiply-adds per position.</summary>
    public Tensor NextTokenLogits(Tensor idx) => nn.functional.linear(Hidden(idx)[.., -1, ..], TokenEmbedding);

    /// <summary>Attention weights of every block for <paramref name="idx"/>, each (B, n_head, T, T), for plots: one
    /// forward pass in which every attention layer uses the explicit formula and keeps its weights.</summary>
    public Tensor[] AttentionWeights(Tensor idx)
    {
        foreach (var layer in AttentionLayers) layer.KeepWeights = true;
        try
        {
            Hidden(idx);
            return AttentionLayers.Select(layer => layer.Weights!).ToArray();
        }
        finally
        {
            foreach (var layer in AttentionLayers) layer.KeepWeights = false;
        }
    }

    /// <summary>Parameters, counting the tied embedding once (it is one tensor here).</summary>
    public long ParameterCount(bool includePositions = true) =>
        parameters().Sum(p => p.numel()) - (includePositions ? 0 : PositionParameters);

    /// <summary>Gives every attention layer an empty KV cache of BlockSize positions for <paramref name="batchSize"/>
    /// sequences, in the parameters' dtype and device. Until the result is disposed, each forward continues the cached
    /// sequence.</summary>
    public KvCacheSet AttachKvCache(long batchSize)
    {
        var layers = AttentionLayers;
        if (layers.Any(layer => layer.Cache is not null)) throw new InvalidOperationException("This model already has a KV cache attached; dispose it first.");
        var first = parameters().First();
        foreach (var layer in layers)
            layer.Cache = new KvCache(batchSize, layer.KvHeads, Config.BlockSize, layer.HeadSize, first.dtype, first.device);
        return new KvCacheSet(layers);
    }

    /// <summary>
    /// Continues <paramref name="idx"/> (B, T) by <paramref name="maxNewTokens"/> sampled tokens; the sampler applies
    /// temperature, top-k and top-p. Reproducible for a seeded <paramref name="generator"/>. Calls
    /// <paramref name="onToken"/> with each new (B, 1) token as soon as it is chosen. With <paramref name="stopToken"/>,
    /// stops early once every sequence has produced it (an end-of-turn token).
    /// </summary>
    /// <remarks>
    /// With <paramref name="useCache"/> the prompt is read once and each later step feeds only the newest token, its
    /// logits computed for that position alone. Both ways choose the same tokens, also past the block size: there the
    /// context is cropped to the last BlockSize tokens, which moves every token to a new position, so nothing cached
    /// stays valid and each step reads the whole window again, exactly as without the cache. The cache speeds up
    /// generation while the sequence fits in the block.
    /// </remarks>
    public Tensor Generate(Tensor idx, int maxNewTokens, NextTokenSampler sampler, Generator? generator = null, bool useCache = true,
        Action<Tensor>? onToken = null, long? stopToken = null)
    {
        if (idx.dim() != 2 || idx.size(1) == 0)
            throw new ArgumentException($"The prompt must be a (batch, tokens) tensor with at least one token (got shape [{string.Join(", ", idx.shape)}]).");
        if (maxNewTokens < 0) throw new ArgumentException($"maxNewTokens must be ≥ 0 (got {maxNewTokens}).");
        var wasTraining = training;
        eval();
        try
        {
            using var noGrad = no_grad();
            using var cache = useCache && maxNewTokens > 0 ? AttachKvCache(idx.size(0)) : null;
            var result = idx.alias();
            using var stopped = zeros(idx.size(0), ScalarType.Bool, device: idx.device);
            for (int i = 0; i < maxNewTokens; i++)
            {
                using var scope = NewDisposeScope();
                var next = sampler.Sample(NextTokenLogits(Unseen(result, cache)), generator);
                onToken?.Invoke(next);
                var longer = cat([result, next], dim: 1).MoveToOuterDisposeScope();
                result.Dispose();
                result = longer;
                if (stopToken is long stop && stopped.logical_or_(next.squeeze(1) == stop).all().item<bool>()) break;
            }
            return result;
        }
        finally
        {
            train(wasTraining);
        }
    }

    /// <summary>The tokens the next forward must read: those the cache has not seen, or the whole (cropped) context.</summary>
    private Tensor Unseen(Tensor sequence, KvCacheSet? cache)
    {
        var length = sequence.size(1);
        if (length > Config.BlockSize)
        {
            cache?.Reset();
            return sequence[.., ^Config.BlockSize..];
        }
        return cache is null ? sequence : sequence[.., (int)cache.Length..];
    }

    /// <summary>GPT-2's initialisation, used by both architectures: N(0, 0.02) for weights and embeddings, zero biases,
    /// and N(0, 0.02/√(2·n_layer)) for the projections that write into the residual stream, whose contributions add up
    /// over 2·n_layer paths. Norm gains keep their ones.</summary>
    protected void InitWeights(IEnumerable<Linear> residualProjections)
    {
        using var noGrad = no_grad();
        foreach (var module in modules())
        {
            switch (module)
            {
                case Linear linear:
                    nn.init.normal_(linear.weight!, 0.0, 0.02);
                    if (linear.bias is not null) nn.init.zeros_(linear.bias);
                    break;
                case Embedding embedding:
                    nn.init.normal_(embedding.weight!, 0.0, 0.02);
                    break;
            }
        }
        var residualStd = 0.02 / Math.Sqrt(2.0 * Config.NLayer);
        foreach (var projection in residualProjections) nn.init.normal_(projection.weight!, 0.0, residualStd);
    }

    /// <summary>The position of the first of <paramref name="tokens"/> new tokens: right after those the first layer's KV
    /// cache holds, or 0 without one. Refuses tokens that would run past the block size.</summary>
    protected static long FirstPosition(SelfAttention firstLayer, long tokens, int blockSize)
    {
        var start = firstLayer.Cache?.Length ?? 0;
        if (start + tokens > blockSize)
            throw new ArgumentException(start == 0
                ? $"Sequence length {tokens} exceeds the block size {blockSize}: crop the input to the last {blockSize} tokens."
                : $"{tokens} more tokens after the {start} cached ones exceed the block size {blockSize}: reset the KV cache and crop the input.");
        return start;
    }
}

/// <summary>The KV caches of a model's layers, attached by <see cref="LanguageModel.AttachKvCache"/>; disposing detaches
/// and frees them.</summary>
public sealed class KvCacheSet : IDisposable
{
    private readonly IReadOnlyList<SelfAttention> layers;
    private readonly KvCache[] caches;

    internal KvCacheSet(IReadOnlyList<SelfAttention> layers) => (this.layers, caches) = (layers, layers.Select(l => l.Cache!).ToArray());

    /// <summary>Positions cached (the same in every layer).</summary>
    public long Length => caches[0].Length;

    /// <summary>Memory of all layers' keys and values, in bytes: 2 · n_layer · batch · n_kv_head · block · d_k · element size.</summary>
    public long Bytes => caches.Sum(c => c.Bytes);

    public void Reset()
    {
        foreach (var cache in caches) cache.Reset();
    }

    public void Dispose()
    {
        foreach (var layer in layers) layer.Cache = null;
        foreach (var cache in caches) cache.Dispose();
    }
}
