using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Course.Attention;

/// <summary>
/// Multi-head self-attention: project x to queries, keys and values, split d_model into n_head subspaces of
/// size d_k = d_model / n_head, attend in each head, concatenate, and project back.
/// </summary>
/// <remarks>
/// With <c>fusedQkv</c> one Linear (<c>c_attn</c>, d → 3d) makes Q, K and V in one matmul, as GPT-2 and nanoGPT
/// do; otherwise three Linears (<c>q_proj</c>, <c>k_proj</c>, <c>v_proj</c>) make them, which is easier to
/// read. The output projection is <c>c_proj</c>. Field names are the PyTorch module names, so a checkpoint's
/// tensor names match nanoGPT's (transformer.h.0.attn.c_attn.weight, ...). Every head has its own keys and values
/// (n_kv_head = n_head); <see cref="GroupedQueryAttention"/> shares them.
/// </remarks>
public sealed class MultiHeadAttention : SelfAttention
{
    private readonly Linear? c_attn, q_proj, k_proj, v_proj;
    private readonly Linear c_proj;
    private readonly Dropout resid_dropout;

    public MultiHeadAttention(long dModel, long nHead, bool causal = true, bool fusedQkv = true, bool bias = true, double dropout = 0.0)
        : base(nameof(MultiHeadAttention), dModel, nHead, nHead, causal, dropout)
    {
        if (fusedQkv)
            c_attn = nn.Linear(dModel, 3 * dModel, hasBias: bias);
        else
        {
            q_proj = nn.Linear(dModel, dModel, hasBias: bias);
            k_proj = nn.Linear(dModel, dModel, hasBias: bias);
            v_proj = nn.Linear(dModel, dModel, hasBias: bias);
        }
        c_proj = nn.Linear(dModel, dModel, hasBias: bias);
        resid_dropout = nn.Dropout(dropout);
        RegisterComponents();
    }

    /// <summary>The output projection, whose weights GPT-2 initialises with a smaller std (residual scaling).</summary>
    public Linear OutputProjection => c_proj;

    protected override (Tensor Q, Tensor K, Tensor V) Project(Tensor x, long start)
    {
        if (c_attn is null) return (SplitHeads(q_proj!.call(x), Heads), SplitHeads(k_proj!.call(x), Heads), SplitHeads(v_proj!.call(x), Heads));
        var parts = c_attn.call(x).split(DModel, dim: 2);
        return (SplitHeads(parts[0], Heads), SplitHeads(parts[1], Heads), SplitHeads(parts[2], Heads));
    }

    protected override Tensor Output(Tensor merged) => resid_dropout.call(c_proj.call(merged));
}
