using Course.Attention;
using Course.Evaluation;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Course.Models;

/// <summary>
/// GPT (Radford et al., 2018/2019) with nanoGPT's layout: token + learned position embeddings, n_layer
/// pre-LayerNorm blocks of causal self-attention and a GELU MLP, a final LayerNorm, and an output layer that
/// reuses the token embedding matrix (weight tying).
/// </summary>
/// <remarks>
/// Parameter names are PyTorch's (transformer.wte.weight, transformer.h.0.attn.c_attn.weight, ...), so weights
/// move to and from nanoGPT / Hugging Face GPT-2 one to one. Because of the tying there is no separate
/// lm_head.weight tensor (nanoGPT's state_dict lists the same tensor under that second name).
/// Forward passes create many intermediates: call them inside a dispose scope (one per training step).
/// </remarks>
public sealed class Gpt : nn.Module<Tensor, Tensor>
{
    private readonly Transformer transformer;

    public GptConfig Config { get; }

    public Gpt(GptConfig config) : base(nameof(Gpt))
    {
        Config = config.Validate();
        transformer = new Transformer(config);
        RegisterComponents();
        InitWeights();
    }

    /// <summary>Token ids (B, T) → logits (B, T, vocab).</summary>
    public override Tensor forward(Tensor idx) => nn.functional.linear(Hidden(idx), transformer.wte.weight!);

    /// <summary>Token ids (B, T) → the final hidden states (B, T, n_embd): the output of ln_f, before the tied output
    /// layer. What a task head (a classifier, say) reads instead of next-token logits.</summary>
    public Tensor Hidden(Tensor idx) => transformer.forward(idx);

    /// <summary>Logits and the mean cross-entropy of predicting <paramref name="targets"/> (B, T).</summary>
    public (Tensor Logits, Tensor Loss) forward(Tensor idx, Tensor targets)
    {
        var logits = forward(idx);
        // The softmax statistics of the loss are computed in fp32 even when the model runs in bf16.
        var loss = nn.functional.cross_entropy(logits.view(-1, logits.size(-1)).to(ScalarType.Float32), targets.reshape(-1));
        return (logits, loss);
    }

    /// <summary>Attention weights of every block for <paramref name="idx"/>, each (B, n_head, T, T), for plots.</summary>
    public Tensor[] AttentionWeights(Tensor idx) => transformer.AttentionWeights(idx);

    /// <summary>Parameters, counting the tied embedding once (it is one tensor here).</summary>
    public long ParameterCount(bool includePositions = true) =>
        parameters().Sum(p => p.numel()) - (includePositions ? 0 : transformer.wpe.weight!.numel());

    /// <summary>
    /// Continues <paramref name="idx"/> (B, T) by <paramref name="maxNewTokens"/> sampled tokens. The context is
    /// cropped to the last BlockSize tokens; the sampler applies temperature, top-k and top-p. Reproducible for a
    /// seeded <paramref name="generator"/>.
    /// </summary>
    public Tensor Generate(Tensor idx, int maxNewTokens, NextTokenSampler sampler, Generator? generator = null)
    {
        if (idx.dim() != 2 || idx.size(1) == 0)
            throw new ArgumentException($"The prompt must be a (batch, tokens) tensor with at least one token (got shape [{string.Join(", ", idx.shape)}]).");
        if (maxNewTokens < 0) throw new ArgumentException($"maxNewTokens must be ≥ 0 (got {maxNewTokens}).");
        var wasTraining = training;
        eval();
        try
        {
            using var noGrad = no_grad();
            var result = idx.alias();
            for (int i = 0; i < maxNewTokens; i++)
            {
                using var scope = NewDisposeScope();
                var context = result.size(1) <= Config.BlockSize ? result : result[.., ^Config.BlockSize..];
                var logits = forward(context)[.., -1, ..];
                var next = sampler.Sample(logits, generator);
                var longer = cat([result, next], dim: 1).MoveToOuterDisposeScope();
                result.Dispose();
                result = longer;
            }
            return result;
        }
        finally
        {
            train(wasTraining);
        }
    }

    /// <summary>GPT-2's initialisation: N(0, 0.02) for weights and embeddings, zero biases, and N(0, 0.02/√(2·n_layer))
    /// for the projections that write into the residual stream, whose contributions add up over 2·n_layer paths.</summary>
    private void InitWeights()
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
        foreach (var block in transformer.h)
            foreach (var projection in block.ResidualProjections)
                nn.init.normal_(projection.weight!, 0.0, residualStd);
    }

    /// <summary>nanoGPT's <c>transformer</c> ModuleDict: wte, wpe, drop, h, ln_f.</summary>
    private sealed class Transformer : nn.Module<Tensor, Tensor>
    {
        internal readonly Embedding wte, wpe;
        internal readonly ModuleList<Block> h;
        private readonly Dropout drop;
        private readonly LayerNorm ln_f;
        private readonly int blockSize;

        public Transformer(GptConfig c) : base("transformer")
        {
            blockSize = c.BlockSize;
            wte = nn.Embedding(c.VocabSize, c.NEmbd);
            wpe = nn.Embedding(c.BlockSize, c.NEmbd);
            drop = nn.Dropout(c.Dropout);
            h = nn.ModuleList(Enumerable.Range(0, c.NLayer).Select(_ => new Block(c)).ToArray());
            ln_f = nn.LayerNorm(c.NEmbd, bias: c.Bias);
            RegisterComponents();
        }

        public override Tensor forward(Tensor idx)
        {
            var x = Embed(idx);
            foreach (var block in h) x = block.forward(x);
            return ln_f.forward(x);
        }

        public Tensor[] AttentionWeights(Tensor idx)
        {
            var x = Embed(idx);
            var weights = new Tensor[h.Count];
            for (int i = 0; i < h.Count; i++)
            {
                weights[i] = h[i].AttentionWeights(x);
                x = h[i].forward(x);
            }
            return weights;
        }

        private Tensor Embed(Tensor idx)
        {
            var T = idx.size(1);
            if (T > blockSize)
                throw new ArgumentException($"Sequence length {T} exceeds the block size {blockSize}: crop the input to the last {blockSize} tokens.");
            var positions = arange(T, dtype: ScalarType.Int64, device: idx.device);
            return drop.forward(wte.forward(idx) + wpe.forward(positions));
        }
    }

    /// <summary>A pre-LayerNorm transformer block: x + attn(ln_1(x)), then x + mlp(ln_2(x)).</summary>
    private sealed class Block : nn.Module<Tensor, Tensor>
    {
        private readonly LayerNorm ln_1, ln_2;
        private readonly MultiHeadAttention attn;
        private readonly Mlp mlp;

        public Block(GptConfig c) : base(nameof(Block))
        {
            ln_1 = nn.LayerNorm(c.NEmbd, bias: c.Bias);
            attn = new MultiHeadAttention(c.NEmbd, c.NHead, causal: true, fusedQkv: true, bias: c.Bias, dropout: c.Dropout);
            ln_2 = nn.LayerNorm(c.NEmbd, bias: c.Bias);
            mlp = new Mlp(c);
            RegisterComponents();
        }

        public IEnumerable<Linear> ResidualProjections => [attn.OutputProjection, mlp.OutputProjection];

        public override Tensor forward(Tensor x)
        {
            x = x + attn.forward(ln_1.forward(x));
            return x + mlp.forward(ln_2.forward(x));
        }

        public Tensor AttentionWeights(Tensor x) => attn.ForwardWithWeights(ln_1.forward(x)).Weights;
    }

    /// <summary>The position-wise feed-forward network: d → 4d, GELU (tanh approximation, as GPT-2), 4d → d.</summary>
    private sealed class Mlp : nn.Module<Tensor, Tensor>
    {
        private readonly Linear c_fc, c_proj;
        private readonly GELU gelu;
        private readonly Dropout dropout;

        public Mlp(GptConfig c) : base(nameof(Mlp))
        {
            c_fc = nn.Linear(c.NEmbd, 4 * c.NEmbd, hasBias: c.Bias);
            gelu = nn.GELU(GELU.Approximate.tanh);
            c_proj = nn.Linear(4 * c.NEmbd, c.NEmbd, hasBias: c.Bias);
            dropout = nn.Dropout(c.Dropout);
            RegisterComponents();
        }

        public Linear OutputProjection => c_proj;

        public override Tensor forward(Tensor x) => dropout.forward(c_proj.forward(gelu.forward(c_fc.forward(x))));
    }
}
