using Course.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Course.Training;

/// <summary>
/// Refuses a training setup that cannot fit in the device's memory before it starts, instead of letting it climb
/// for minutes toward an out-of-memory kill. The estimate is a lower bound, so a refusal is never a false alarm:
/// weights, gradients and AdamW's m and v (16 bytes per parameter), about 16·n_embd values per token and layer kept
/// for the backward pass (residual stream, LayerNorm outputs, QKV, attention output, the MLP's 4·n_embd hidden
/// layer before and after GELU), and the fp32 logits and their gradient.
/// </summary>
public static class MemoryBudget
{
    public static long LowerBoundBytes(GptConfig config, TrainingOptions options)
    {
        long element = options.Precision == Precision.Bf16 ? 2 : 4;
        long tokens = (long)options.BatchSize * config.BlockSize;
        var state = 16.0 * config.ParameterCount();
        var activations = (double)tokens * config.NLayer * 16 * config.NEmbd * element;
        var logits = (double)tokens * config.VocabSize * (element + 4);
        return (long)Math.Min(long.MaxValue, state + activations + logits);
    }

    /// <exception cref="UserError">The lower bound exceeds the memory of <paramref name="device"/>.</exception>
    public static void Require(GptConfig config, TrainingOptions options, Device device)
    {
        var available = device.type == DeviceType.CUDA ? GpuMemory.Total(Math.Max(0, device.index)) : GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (available is not long limit || limit <= 0) return;
        var needed = LowerBoundBytes(config, options);
        if (needed > limit)
            throw new UserError($"A micro-batch of {options.BatchSize:N0} sequences of {config.BlockSize:N0} tokens on this {config.NLayer}×{config.NEmbd} model needs at least " +
                $"{Format(needed)} of memory (a lower estimate), more than the {Format(limit)} of this {(device.type == DeviceType.CUDA ? "GPU" : "machine")}. " +
                "Use a smaller batch size (accumulate micro-batches for the same effective batch) or a smaller context or model.");
    }

    public static string Format(double bytes)
    {
        string[] units = ["B", "KB", "MB", "GB", "TB", "PB", "EB"];
        var unit = 0;
        for (; bytes >= 1000 && unit < units.Length - 1; unit++) bytes /= 1000;
        return $"{bytes:0.#} {units[unit]}";
    }
}
