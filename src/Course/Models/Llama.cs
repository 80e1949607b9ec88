using Course.Attention;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Course.Models;

/// <summary>
/// A Llama-style model (Touvron et al., 2023): GPT's decoder-only shape with four of the changes today's open models
/// share. Positions enter through rotary embeddings on queries and keys instead of a learned vector added to the
/// tokens; RMSNorm replaces LayerNorm; a SwiGLU MLP replaces the GELU one; grouped-query attention shares key/value
/// heads. No layer has a bias.
/// </summary>
/// <remarks>
/// Parameter names are Hugging Face's LlamaForCausalLM names (model.embed_tokens.weight,
/// model.layers.0.self_attn.q_proj.weight, model.layers.0.mlp.gate_proj.weight, model.norm.weight). The output layer
/// reuses the token embedding, as Llama 3.2's small models do (Llama 1 and 2 keep a separate lm_head). Dropout, when
/// configured, sits where GPT's does; initialisation is GPT-2's, so that the two architectures start alike.
/// </remarks>
public sealed class Llama : LanguageModel
{
    private readonly LlamaModel model;

    public Llama(GptConfig config) : base(nameof(Llama), config, Architecture.Llama)
    {
        model = new LlamaModel(Config);
        RegisterComponents();
        InitWeights(model.layers.SelectMany(layer => layer.ResidualProjections));
    }

    public override Tensor Hidden(Tensor idx) => model.call(idx);

    public override IReadOnlyList<SelfAttention> AttentionLayers => model.layers.Select(layer => layer.self_attn).ToList();

    protected override Tensor TokenEmbedding => model.embed_tokens.weight!;

    /// <summary>Hugging Face's LlamaModel: embed_tokens, layers, norm.</summary>
    private sealed class LlamaModel : nn.Module<Tensor, Tensor>
    {
        internal readonly Embedding embed_tokens;
        internal readonly ModuleList<DecoderLayer> layers;
        private readonly RmsNorm norm;
        private readonly Dropout drop;
        private readonly int blockSize;

        public LlamaModel(GptConfig c) : base("model")
        {
            blockSize = c.BlockSize;
            embed_tokens = nn.Embedding(c.VocabSize, c.NEmbd);
            drop = nn.Dropout(c.Dropout);
            layers = nn.ModuleList(Enumerable.Range(0, c.NLayer).Select(_ => new DecoderLayer(c)).ToArray());
            norm = new RmsNorm(c.NEmbd);
            RegisterComponents();
        }

        public override Tensor forward(Tensor idx)
        {
            // Nothing marks positions here: each attention layer rotates its queries and keys by their positions.
            FirstPosition(layers[0].self_attn, idx.size(1), blockSize);
            var x = drop.call(embed_tokens.call(idx));
            foreach (var layer in layers) x = layer.call(x);
            return norm.call(x);
        }
    }

    /// <summary>A pre-norm block: x + self_attn(input_layernorm(x)), then x + mlp(post_attention_layernorm(x)).</summary>
    private sealed class DecoderLayer : nn.Module<Tensor, Tensor>
    {
        private readonly RmsNorm input_layernorm, post_attention_layernorm;
        internal readonly GroupedQueryAttention self_attn;
        private readonly SwiGluMlp mlp;

        public DecoderLayer(GptConfig c) : base(nameof(DecoderLayer))
        {
            input_layernorm = new RmsNorm(c.NEmbd);
            self_attn = new GroupedQueryAttention(c.NEmbd, c.NHead, c.KvHeads, new RotaryEmbedding(c.HeadSize, c.BlockSize, c.RopeBase), c.Dropout);
            post_attention_layernorm = new RmsNorm(c.NEmbd);
            mlp = new SwiGluMlp(c.NEmbd, c.MlpWidth, c.Dropout);
            RegisterComponents();
        }

        public IEnumerable<Linear> ResidualProjections => [self_attn.OutputProjection, mlp.OutputProjection];

        public override Tensor forward(Tensor x)
        {
            x = x + self_attn.call(input_layernorm.call(x));
            return x + mlp.call(post_attention_layernorm.call(x));
        }
    }
}
