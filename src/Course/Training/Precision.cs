using System.Text.Json.Serialization;
using Course.Models;
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
        _ => throw new ArgumentException($"Unknown precision '{text}'. Use fp32, tf32 or bf16."),
    };

    /// <summary>Sets the TF32 switches and casts <paramref name="model"/> (if given); call before creating the optimizer.</summary>
    public static void Apply(this Precision precision, nn.Module? model)
    {
        var tf32 = precision != Precision.Fp32;
        backends.cuda.matmul.allow_tf32 = tf32;
        backends.cudnn.allow_tf32 = tf32;
        if (precision == Precision.Bf16) model?.to(ScalarType.BFloat16);
    }
}
