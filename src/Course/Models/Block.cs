using Course.Attention;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Course.Models;

/// <summary>
/// GPT-2's pre-LayerNorm transformer block: x + attn(ln_1(x)), then x + mlp(ln_2(x)). Its parameters are named as
/// nanoGPT's (ln_1, attn.c_attn, attn.c_proj, ln_2, mlp.c_fc, mlp.c_proj), so a block's state_dict is one layer of
/// a GPT checkpoint (transformer.h.N.*). Built alone it has PyTorch's default initialisation; <see cref="Gpt"/>
/// re-initialises its blocks as GPT-2 does.
/// </summary>
public sealed class Block : nn.Module<Tensor, Tensor>
{
    private readonly LayerNorm ln_1, ln_2;
    internal readonly MultiHeadAttention attn;
    private readonly GptMlp mlp;

    public Block(GptConfig c) : base(nameof(Block))
    {
        ln_1 = nn.LayerNorm(c.NEmbd, bias: c.Bias);
        attn = new MultiHeadAttention(c.NEmbd, c.NHead, causal: true, fusedQkv: true, bias: c.Bias, dropout: c.Dropout);
        ln_2 = nn.LayerNorm(c.NEmbd, bias: c.Bias);
        mlp = new GptMlp(c);
        RegisterComponents();
    }

    /// <summary>The block's causal self-attention (chapter 02's module).</summary>
    public MultiHeadAttention Attention => attn;

    /// <summary>The block's position-wise MLP.</summary>
    public GptMlp Mlp => mlp;

    /// <summary>The two layers that write into the residual stream (attn.c_proj and mlp.c_proj): GPT-2 initialises
    /// them with a standard deviation of 0.02/√(2·n_layer).</summary>
    public IEnumerable<Linear> ResidualProjections => [attn.OutputProjection, mlp.OutputProjection];

    public override Tensor forward(Tensor x)
    {
        x = x + attn.call(ln_1.call(x));
        return x + mlp.call(ln_2.call(x));
    }
}

/// <summary>The position-wise feed-forward network of a GPT block: d → 4d (or IntermediateSize), GELU (tanh
/// approximation, as GPT-2), back to d, then dropout.</summary>
public sealed class GptMlp : nn.Module<Tensor, Tensor>
{
    private readonly Linear c_fc, c_proj;
    private readonly GELU gelu;
    private readonly Dropout dropout;

    public GptMlp(GptConfig c) : base("Mlp")
    {
        c_fc = nn.Linear(c.NEmbd, c.MlpWidth, hasBias: c.Bias);
        gelu = nn.GELU(GELU.Approximate.tanh);
        c_proj = nn.Linear(c.MlpWidth, c.NEmbd, hasBias: c.Bias);
        dropout = nn.Dropout(c.Dropout);
        RegisterComponents();
    }

    public Linear OutputProjection => c_proj;

    public override Tensor forward(Tensor x) => dropout.call(c_proj.call(gelu.call(c_fc.call(x))));
}
