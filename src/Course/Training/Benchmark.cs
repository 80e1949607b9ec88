using System.Diagnostics;
using Course.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Course.Training;

/// <summary>A standard training workload to time: model, micro-batch, accumulation and precision.</summary>
public sealed record BenchmarkSpec(string Name, GptConfig Model, int BatchSize, int GradientAccumulationSteps, Precision Precision)
{
    /// <summary>The workloads of the GPU issue and their PyTorch counterparts (tools/pytorch-reference/bench.py), plus a
    /// tiny one for CPU and CI. gpt2 uses the 50304-token padded vocabulary, as nanoGPT trains it.</summary>
    public static IReadOnlyDictionary<string, BenchmarkSpec> Standard { get; } = new Dictionary<string, BenchmarkSpec>
    {
        ["tiny"] = new("tiny", Preset.Named("tiny").Model, 8, 1, Precision.Fp32),
        ["shakespeare-char"] = new("shakespeare-char", Preset.Named("shakespeare-char").Model, 64, 1, Precision.Bf16),
        ["gpt2"] = new("gpt2", Preset.Named("gpt2-padded").Model, 16, 1, Precision.Bf16),
    };
}

/// <summary>What a benchmark measured; written as JSON by `course bench`.</summary>
public sealed record BenchmarkResult(string Name, string Device, string TorchSharp, string Libtorch, GptConfig Config, int BatchSize,
    int GradientAccumulationSteps, string Precision, long Parameters, int WarmupSteps, int TimedSteps, double MsPerStep,
    double TokensPerSecond, double? Mfu, double? PeakTflops, long? PeakGpuMemoryBytes, double FinalLoss,
    double ForwardBackwardMs, double OptimizerMs, DateTimeOffset Measured);

public static class Benchmark
{
    /// <exception cref="UserError">A negative warm-up or no timed step.</exception>
    public static void CheckSteps(int warmup, int steps)
    {
        if (warmup < 0 || steps <= 0) throw new UserError($"Benchmarks need warmup ≥ 0 and steps > 0 (got {warmup} and {steps}).");
    }

    /// <summary>Trains <paramref name="spec"/> on random tokens: <paramref name="warmup"/> untimed steps (allocator and
    /// kernel selection settle), then <paramref name="steps"/> timed ones. Each step ends by reading its loss, so the
    /// time covers all GPU work.</summary>
    public static BenchmarkResult Run(BenchmarkSpec spec, Device device, int warmup, int steps, double? peakTflops)
    {
        CheckSteps(warmup, steps);
        var tokensNeeded = Math.Max(20 * (spec.Model.BlockSize + 1), 1 << 20);
        var random = new Random(1);
        var tokens = Enumerable.Range(0, tokensNeeded).Select(_ => random.Next(spec.Model.VocabSize)).ToArray();
        var options = new TrainingOptions
        {
            MaxSteps = warmup + steps, BatchSize = spec.BatchSize, GradientAccumulationSteps = spec.GradientAccumulationSteps,
            WarmupSteps = 0, Precision = spec.Precision, PeakTflops = peakTflops, Seed = 1,
        };
        using var memory = device.type == DeviceType.CUDA ? GpuMemory.StartSampling(device.index < 0 ? 0 : device.index) : null;
        using var trainer = new Trainer(spec.Model, tokens, options, device);
        trainer.Model.train();
        for (int i = 0; i < warmup; i++) trainer.TrainOneStep();
        var clock = Stopwatch.StartNew();
        StepMetrics last = null!;
        for (int i = 0; i < steps; i++) last = trainer.TrainOneStep();
        var msPerStep = clock.Elapsed.TotalMilliseconds / steps;
        var (forwardBackward, optimizer) = Profile(trainer, spec, device, steps);
        var tokensPerSecond = (double)spec.BatchSize * spec.GradientAccumulationSteps * spec.Model.BlockSize / (msPerStep / 1000);
        return new BenchmarkResult(spec.Name, Describe(device), typeof(torch).Assembly.GetName().Version?.ToString() ?? "?", __version__,
            spec.Model, spec.BatchSize, spec.GradientAccumulationSteps, spec.Precision.ToString().ToLowerInvariant(), trainer.Model.ParameterCount(),
            warmup, steps, msPerStep, tokensPerSecond, peakTflops is double p ? Throughput.Mfu(spec.Model, tokensPerSecond, p) : null, peakTflops,
            memory is null ? null : memory.Peak - memory.Baseline, last.Loss, forwardBackward, optimizer, DateTimeOffset.UtcNow);
    }

    /// <summary>Where a step's time goes: the mean of <paramref name="steps"/> steps split into batch + forward +
    /// backward, and the optimizer update (clipping included), each ended by a device synchronisation.</summary>
    private static (double ForwardBackwardMs, double OptimizerMs) Profile(Trainer trainer, BenchmarkSpec spec, Device device, int steps)
    {
        var phases = new Stopwatch[] { new(), new() };
        void Synchronize()
        {
            if (device.type == DeviceType.CUDA) cuda.synchronize(device);
        }
        for (int i = 0; i < steps; i++)
        {
            using var scope = NewDisposeScope();
            Synchronize();
            phases[0].Start();
            trainer.Optimizer.ZeroGrad();
            var (x, y) = trainer.Data.Batch(false, spec.BatchSize, spec.Model.BlockSize, trainer.BatchGenerator, device);
            trainer.Model.forward(x, y).Loss.backward();
            Synchronize();
            phases[0].Stop();
            phases[1].Start();
            trainer.Optimizer.Update(trainer.Options.LearningRate, trainer.Options.GradClip);
            Synchronize();
            phases[1].Stop();
        }
        return (phases[0].Elapsed.TotalMilliseconds / steps, phases[1].Elapsed.TotalMilliseconds / steps);
    }

    private static string Describe(Device device) =>
        device.type == DeviceType.CUDA ? $"cuda:{Math.Max(0, device.index)}" : $"cpu ({Environment.ProcessorCount} cores, {get_num_threads()} threads)";
}
