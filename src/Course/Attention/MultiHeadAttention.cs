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
/// tensor names match nanoGPT's (transformer.h.0.attn.c_attn.weight, ...).
/// </remarks>
public sealed class MultiHeadAttention : nn.Module<Tensor, Tensor>
{
    private readonly Linear? c_attn, q_proj, k_proj, v_proj;
    private readonly Linear c_proj;
    private readonly Dropout resid_dropout;
    private readonly long nHead, dModel;
    private readonly double dropout;
    private readonly bool causal;

    public MultiHeadAttention(long dModel, long nHead, bool causal = true, bool fusedQkv = true, bool bias = true, double dropout = 0.0)
        : base(nameof(MultiHeadAttention))
    {
        if (dModel % nHead != 0)
            throw new ArgumentException($"d_model ({dModel}) must be divisible by n_head ({nHead}): each head gets d_model / n_head dimensions.");
        this.dModel = dModel;
        this.nHead = nHead;
        this.causal = causal;
        this.dropout = dropout;
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

    public override Tensor forward(Tensor x)
    {
        // Intermediates are freed by the caller's dispose scope (one per training step), as everywhere in Models.
        var (q, k, v) = Heads(x);
        var y = ScaledDotProductAttention.Fused(q, k, v, causal: causal, dropout: dropout, training: training);
        return resid_dropout.forward(c_proj.forward(MergeHeads(y)));
    }

    /// <summary>The same computation through the explicit formula, also returning the attention weights,
    /// shaped (batch, n_head, T, T), for plots. No dropout.</summary>
    public (Tensor Output, Tensor Weights) ForwardWithWeights(Tensor x)
    {
        using var scope = NewDisposeScope();
        var (q, k, v) = Heads(x);
        var (y, weights) = ScaledDotProductAttention.Explicit(q, k, v, causal: causal);
        var output = c_proj.forward(MergeHeads(y));
        return (output.MoveToOuterDisposeScope(), weights.MoveToOuterDisposeScope());
    }

    /// <summary>(B, T, d) → q, k, v each (B, n_head, T, d_k).</summary>
    private (Tensor q, Tensor k, Tensor v) Heads(Tensor x)
    {
        var (B, T) = (x.size(0), x.size(1));
        Tensor Split(Tensor t) => t.view(B, T, nHead, dModel / nHead).transpose(1, 2);
        if (c_attn is not null)
        {
            var parts = c_attn.forward(x).split(dModel, dim: 2);
            return (Split(parts[0]), Split(parts[1]), Split(parts[2]));
        }
        return (Split(q_proj!.forward(x)), Split(k_proj!.forward(x)), Split(v_proj!.forward(x)));
    }

    /// <summary>(B, n_head, T, d_k) → (B, T, d): heads side by side again.</summary>
    private Tensor MergeHeads(Tensor y) => y.transpose(1, 2).contiguous().view(y.size(0), y.size(2), dModel);
}
