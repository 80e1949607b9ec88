using static TorchSharp.torch;

namespace Course.Shipping.Compression;

/// <summary>
/// Post-training, weight-only int8 quantisation, symmetric and per channel: each row of a weight matrix (an output
/// channel of a Linear, a token of an embedding) gets its own scale max|w|/127, and w ≈ scale · q with q an int8 in
/// [-127, 127]. Per-channel scales keep one large row from crushing the resolution of all the others.
/// Activations stay fp32: the int8 weights are dequantised where they are used (DequantizeLinear in an ONNX graph).
/// </summary>
public static class Int8Quantization
{
    /// <summary>The int8 values (row-major, the shape of <paramref name="weight"/>) and one scale per row.</summary>
    public static (sbyte[] Values, float[] Scales) Quantize(Tensor weight)
    {
        if (weight.dim() != 2) throw new ArgumentException($"Per-channel quantisation needs a matrix (got shape [{string.Join(", ", weight.shape)}]).");
        using var scope = NewDisposeScope();
        var w = weight.detach().to(ScalarType.Float32).cpu();
        // A row of zeros keeps scale 1 so that it dequantises to zeros instead of dividing by zero.
        var scales = w.abs().amax([1], keepdim: true) / 127f;
        scales = where(scales > 0, scales, ones_like(scales));
        var q = (w / scales).round().clamp(-127, 127).to(ScalarType.Int8);
        return (q.data<sbyte>().ToArray(), scales.flatten().data<float>().ToArray());
    }

    /// <summary>scale · q, as the fp32 matrix a quantised model computes with.</summary>
    public static Tensor Dequantize(sbyte[] values, float[] scales, long rows, long columns)
    {
        using var scope = NewDisposeScope();
        var q = tensor(values, [rows, columns]).to(ScalarType.Float32);
        return (q * tensor(scales, [rows, 1])).MoveToOuterDisposeScope();
    }
}
