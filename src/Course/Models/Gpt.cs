using Course.Attention;
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
/// Parameter names are nanoGPT's (transformer.wte.weight, transformer.h.0.attn.c_attn.weight, ...). Because of the
/// tying there is no separate lm_head.weight tensor (nanoGPT's state_dict lists the same tensor under that second
/// name). Hugging Face's GPT-2 checkpoints use the same names but store the attention and MLP weights transposed;
/// <see cref="FromPretrained"/> reads them.
/// </remarks>
public sealed class Gpt : LanguageModel
{
    private readonly Transformer transformer;

    public Gpt(GptConfig config) : base(nameof(Gpt), config, Architecture.Gpt)
    {
        transformer = new Transformer(Config);
        RegisterComponents();
        InitWeights(transformer.h.SelectMany(block => block.ResidualProjections));
    }

    /// <summary>GPT-2's weights from a Hugging Face checkpoint folder (config.json with model.safetensors or
    /// pytorch_model.bin), on the CPU and in eval mode. See <see cref="HuggingFaceGpt2"/>.</summary>
    public static Gpt FromPretrained(string directory) => HuggingFaceGpt2.Load(directory);

    public override Tensor Hidden(Tensor idx) => transformer.call(idx);

    public override IReadOnlyList<SelfAttention> AttentionLayers => transformer.h.Select(block => block.attn).ToList();

    /// <summary>The <see cref="GptConfig.NLayer"/> blocks, first to last (transformer.h.0, transformer.h.1, ...).</summary>
    public IReadOnlyList<Block> Blocks => transformer.h.ToList();

    protected override Tensor TokenEmbedding => transformer.wte.weight!;

    protected override long PositionParameters => transformer.wpe.weight!.numel();

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
            // With a KV cache the tokens continue the cached ones, so their positions start after them.
            var start = FirstPosition(h[0].attn, idx.size(1), blockSize);
            var positions = arange(start, start + idx.size(1), dtype: ScalarType.Int64, device: idx.device);
            var x = drop.call(wte.call(idx) + wpe.call(positions));
            foreach (var block in h) x = block.call(x);
            return ln_f.call(x);
        }
    }
}
