using static Onnx.TensorProto.Types;

namespace Course.Shipping.Export;

/// <summary>
/// The pieces of a decoder-only transformer as ONNX nodes, reading weights by their checkpoint names. The GPT graph is
/// built from them; a Llama-style graph would reuse <see cref="Linear"/>, <see cref="CausalMask"/> and
/// <see cref="CausalSelfAttention"/> and add RMSNorm, rotary embeddings and a SwiGLU MLP beside them.
/// </summary>
public sealed class OnnxLayers(OnnxGraph g, OnnxWeights weights)
{
    /// <summary>x·Wᵀ + b for the PyTorch Linear <paramref name="prefix"/> (prefix.weight, prefix.bias when present).</summary>
    public string Linear(string x, string prefix)
    {
        var y = g.MatMul(x, weights.Linear(prefix + ".weight"));
        return weights.Has(prefix + ".bias") ? g.Add(y, weights.Vector(prefix + ".bias")) : y;
    }

    /// <summary>LayerNorm over the last axis with PyTorch's ε = 1e-5 (the bias is optional, as in the GPT without biases).</summary>
    public string LayerNorm(string x, string prefix)
    {
        string[] inputs = weights.Has(prefix + ".bias")
            ? [x, weights.Vector(prefix + ".weight"), weights.Vector(prefix + ".bias")]
            : [x, weights.Vector(prefix + ".weight")];
        return g.Node("LayerNormalization", inputs, null, OnnxGraph.Int("axis", -1), OnnxGraph.Float("epsilon", 1e-5f));
    }

    /// <summary>GELU with GPT-2's tanh approximation, 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))), spelled out: the Gelu
    /// operator arrived in opset 20.</summary>
    public string GeluTanh(string x)
    {
        var cube = g.Mul(g.Mul(x, x), x);
        var inner = g.Mul(g.Add(x, g.Mul(cube, Constant(0.044715f))), Constant(MathF.Sqrt(2f / MathF.PI)));
        return g.Mul(g.Mul(x, Constant(0.5f)), g.Add(g.Node("Tanh", [inner]), Constant(1f)));
    }

    /// <summary>
    /// The additive causal mask (T, past + T) for queries at positions past … past+T−1: 0 where a key is at or before the
    /// query, a large negative number after it, so softmax gives those keys weight 0. Built from the input's shape, so it
    /// fits any sequence length and any cache length.
    /// </summary>
    public string CausalMask(string length, string past, string total)
    {
        var ones = g.Node("ConstantOfShape", [g.Concat(0, length, total)], null,
            OnnxGraph.Tensor("value", new Onnx.TensorProto { DataType = (int)DataType.Float, Dims = { 1 }, FloatData = { 1f } }));
        var offset = g.Node("Squeeze", [past, Axes0]);
        var allowed = g.Node("Trilu", [ones, offset], null, OnnxGraph.Int("upper", 0));
        return g.Mul(g.Sub(allowed, Constant(1f)), Constant(1e9f));
    }

    /// <summary>
    /// Multi-head causal self-attention with fused QKV (prefix.c_attn, prefix.c_proj): softmax(QKᵀ/√d_k + mask)·V per head.
    /// With a cache, this step's keys and values are appended to the past ones (batch, n_head, past, d_k), and the
    /// results are returned as the present ones for the next step.
    /// </summary>
    public (string Output, string Keys, string Values) CausalSelfAttention(string x, string prefix, long nHead, long nEmbd, string mask,
        string? pastKeys = null, string? pastValues = null)
    {
        var headSize = nEmbd / nHead;
        var qkv = Linear(x, prefix + ".c_attn");
        var parts = g.Nodes("Split", [qkv, g.Int64s(g.Fresh("split"), nEmbd, nEmbd, nEmbd)], 3, OnnxGraph.Int("axis", 2));
        var headsShape = g.Int64s(g.Fresh("heads_shape"), 0, 0, nHead, headSize);
        string Heads(string t) => g.Transpose(g.Reshape(t, headsShape), 0, 2, 1, 3);
        var (q, k, v) = (Heads(parts[0]), Heads(parts[1]), Heads(parts[2]));
        if (pastKeys is not null) k = g.Concat(2, pastKeys, k);
        if (pastValues is not null) v = g.Concat(2, pastValues, v);
        var scores = g.Add(g.Mul(g.MatMul(q, g.Transpose(k, 0, 1, 3, 2)), Constant(1f / MathF.Sqrt(headSize))), mask);
        var y = g.MatMul(g.Softmax(scores), v);
        var merged = g.Reshape(g.Transpose(y, 0, 2, 1, 3), g.Int64s(g.Fresh("merge_shape"), 0, 0, nEmbd));
        return (Linear(merged, prefix + ".c_proj"), k, v);
    }

    private string? _axes0;
    private string Axes0 => _axes0 ??= g.Int64s("axes_0", 0);

    private readonly Dictionary<float, string> _constants = [];
    private string Constant(float value) => _constants.TryGetValue(value, out var name) ? name : _constants[value] = g.Scalar(g.Fresh("constant"), value);
}
