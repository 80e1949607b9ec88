using Course.Shipping.Compression;
using static Onnx.TensorProto.Types;
using static TorchSharp.torch;

namespace Course.Shipping.Export;

/// <summary>
/// A checkpoint's weights, looked up by their PyTorch names, as graph constants: fp32, or int8 with per-channel scales
/// and a DequantizeLinear node in front (opset 13+), which is how a weight-only quantised ONNX model stores a matrix.
/// </summary>
public sealed class OnnxWeights(OnnxGraph graph, IReadOnlyDictionary<string, Tensor> weights, bool int8)
{
    public bool Has(string name) => weights.ContainsKey(name);

    /// <summary>A vector (bias, LayerNorm scale or shift), always fp32: quantising it would save almost nothing.</summary>
    public string Vector(string name) => graph.Floats(name, Values(Get(name)), Get(name).shape);

    /// <summary>A matrix as stored (an embedding: one row per token or position); int8 per row when quantising.</summary>
    public string Rows(string name) => Matrix(name, transpose: false);

    /// <summary>The weight of a PyTorch Linear, stored (out, in), as MatMul's right operand (in, out); int8 per output
    /// channel when quantising.</summary>
    public string Linear(string name) => Matrix(name, transpose: true);

    private string Matrix(string name, bool transpose)
    {
        var stored = Get(name);
        var (rows, columns) = (stored.shape[0], stored.shape[1]);
        long[] dims = transpose ? [columns, rows] : [rows, columns];
        if (!int8)
        {
            using var laid = transpose ? stored.t() : stored.alias();
            return graph.Floats(name, Values(laid), dims);
        }
        // Scales belong to the stored rows (output channels); after a transpose they run along axis 1.
        var (values, scales) = Int8Quantization.Quantize(stored);
        var q = graph.Int8s(name + ".int8", transpose ? Transposed(values, rows, columns) : values, dims);
        var scale = graph.Floats(name + ".scale", scales, rows);
        var zero = graph.Int8s(name + ".zero_point", new sbyte[rows], rows);
        return graph.Node("DequantizeLinear", [q, scale, zero], name, OnnxGraph.Int("axis", transpose ? 1 : 0));
    }

    private Tensor Get(string name) =>
        weights.TryGetValue(name, out var tensor) ? tensor
        : throw new UserError($"The weights have no tensor '{name}': this checkpoint does not hold the model being exported.");

    private static float[] Values(Tensor t)
    {
        using var cpu = t.detach().to(ScalarType.Float32).cpu().contiguous();
        return cpu.data<float>().ToArray();
    }

    private static sbyte[] Transposed(sbyte[] values, long rows, long columns)
    {
        var result = new sbyte[values.Length];
        for (long r = 0; r < rows; r++)
            for (long c = 0; c < columns; c++)
                result[c * rows + r] = values[r * columns + c];
        return result;
    }
}
