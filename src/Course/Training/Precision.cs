using System.Text.Json.Serialization;
using TorchSharp;
using static TorchSharp.torch;

namespace Course.Training;

/// <summary>
/// Number formats for training. TorchSharp has no autocast, so mixed precision is done here: with <see cref="Bf16"/>
/// the model's weights and activations are bfloat16 (matmuls and attention run on bf16 tensor cores), while the
/// optimizer keeps fp32 master weights, m and v (see <see cref="AdamW"/>) and the loss is computed in fp32.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<Precision>))]
public enum Precision
{
    /// <summary>Everything in fp32, TF32 off: the exact reference.</summary>
    Fp32,
    /// <summary>fp32 weights; CUDA matmuls and convolutions may use TF32 (10-bit mantissa inputs, fp32 accumulation).</summary>
    Tf32,
    /// <summary>bf16 weights and activations, fp32 master weights and optimizer state, fp32 loss; TF32 for what stays fp32.</summary>
    Bf16,
}

public static class PrecisionExtensions
{
    public static Precision Parse(string text) => text.ToLowerInvariant() switch
    {
        "fp32" => Precision.Fp32,
        "tf32" => Precision.Tf32,
        "bf16" => Precision.Bf16,
        _ => throw new UserError($"Unknown precision '{text}'. Use fp32, tf32 or bf16."),
    };

    /// <summary>Decides the precision of <paramref name="model"/> once: casts it (bf16) and sets libtorch's
    /// process-wide TF32 switches for as long as the returned scope lives. Disposing the scope puts the switches back
    /// as they were, so no setting outlives the run that chose it. Call before creating the optimizer, which keeps
    /// fp32 master weights exactly when the parameters it is given are not fp32.</summary>
    public static PrecisionScope Enter(this Precision precision, nn.Module model)
    {
        var scope = new PrecisionScope(backends.cuda.matmul.allow_tf32, backends.cudnn.allow_tf32);
        var tf32 = precision != Precision.Fp32;
        backends.cuda.matmul.allow_tf32 = tf32;
        backends.cudnn.allow_tf32 = tf32;
        if (precision == Precision.Bf16) model.to(ScalarType.BFloat16);
        return scope;
    }
}

/// <summary>The TF32 switches as they were before <see cref="PrecisionExtensions.Enter"/>; restored on dispose.</summary>
public sealed class PrecisionScope(bool matmulTf32, bool cudnnTf32) : IDisposable
{
    public void Dispose()
    {
        backends.cuda.matmul.allow_tf32 = matmulTf32;
        backends.cudnn.allow_tf32 = cudnnTf32;
    }
}
