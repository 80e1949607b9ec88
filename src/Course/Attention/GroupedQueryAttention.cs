using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Course.Attention;

/// <summary>
/// Grouped-query attention (Ainslie et al., 2023), as in Llama 2 70B and Llama 3: n_head query heads share n_kv_head
/// key/value heads, n_head / n_kv_head queries per group. With n_kv_head = n_head it is multi-head attention; with
/// n_kv_head = 1, multi-query attention (Shazeer, 2019). Fewer key/value heads mean smaller k_proj and v_proj and a
/// KV cache n_head / n_kv_head times smaller, the memory that limits long-context generation.
/// </summary>
/// <remarks>
/// Llama's layout: separate q_proj, k_proj, v_proj and o_proj without biases, and rotary position embeddings applied
/// to queries and keys (none when <c>rope</c> is null, which leaves plain grouped attention).
/// </remarks>
public sealed class GroupedQueryAttention : SelfAttention
{
    private readonly Linear q_proj, k_proj, v_proj, o_proj;
    private readonly RotaryEmbedding? rotary_emb;
    private readonly Dropout resid_dropout;

    public GroupedQueryAttention(long dModel, long nHead, long nKvHead, RotaryEmbedding? rope = null, double dropout = 0.0)
        : base(nameof(GroupedQueryAttention), dModel, nHead, nKvHead, causal: true, dropout)
    {
        var headSize = dModel / nHead;
        q_proj = nn.Linear(dModel, nHead * headSize, hasBias: false);
        k_proj = nn.Linear(dModel, nKvHead * headSize, hasBias: false);
        v_proj = nn.Linear(dModel, nKvHead * headSize, hasBias: false);
        o_proj = nn.Linear(nHead * headSize, dModel, hasBias: false);
        rotary_emb = rope;
        resid_dropout = nn.Dropout(dropout);
        RegisterComponents();
    }

    /// <summary>The output projection, initialised with GPT-2's smaller residual std.</summary>
    public Linear OutputProjection => o_proj;

    protected override (Tensor Q, Tensor K, Tensor V) Project(Tensor x, long start)
    {
        var q = SplitHeads(q_proj.call(x), Heads);
        var k = SplitHeads(k_proj.call(x), KvHeads);
        var v = SplitHeads(v_proj.call(x), KvHeads);
        if (rotary_emb is not null) (q, k) = (rotary_emb.Rotate(q, start), rotary_emb.Rotate(k, start));
        return (q, k, v);
    }

    protected override Tensor Output(Tensor merged) => resid_dropout.call(o_proj.call(merged));
}
