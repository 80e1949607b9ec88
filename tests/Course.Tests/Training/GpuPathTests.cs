using System.Text.Json;
using Course.Models;
using Course.Training;
using TorchSharp;
using static Course.Tests.Training.TrainingFixtures;
using static TorchSharp.torch;

namespace Course.Tests.Training;

/// <summary>The GPU path's logic, checked on the CPU: mixed precision, MFU arithmetic and the benchmark's output.</summary>
public class GpuPathTests
{
    [Fact]
    public void Bf16_training_runs_bf16_weights_with_fp32_masters_and_tracks_fp32_training()
    {
        var run = TempDirectory();
        using var bf16 = NewTrainer(Options(30) with { Precision = Precision.Bf16 }, run, dropout: 0);
        using var fp32 = NewTrainer(Options(30), dropout: 0);
        var (lossesBf16, lossesFp32) = (new List<double>(), new List<double>());
        bf16.StepCompleted += m => lossesBf16.Add(m.Loss);
        fp32.StepCompleted += m => lossesFp32.Add(m.Loss);
        bf16.Run();
        fp32.Run();

        Assert.All(bf16.Model.parameters(), p => Assert.Equal(ScalarType.BFloat16, p.dtype));
        Assert.All(bf16.Optimizer.MasterWeights(), w => Assert.Equal(ScalarType.Float32, w.Tensor.dtype));
        using var loaded = Checkpoint.Load(Path.Combine(run, Trainer.LatestCheckpoint));
        Assert.All(loaded.Weights.Tensors.Values, t => Assert.Equal(ScalarType.Float32, t.dtype));
        // bf16 rounds activations to 8 significant bits: the curves differ a little but follow each other.
        Assert.True(lossesBf16[^1] < lossesBf16[0] - 1.0, $"bf16 loss went from {lossesBf16[0]} to {lossesBf16[^1]}");
        Assert.InRange(lossesBf16[^1] - lossesFp32[^1], -0.1, 0.1);
    }

    [Fact]
    public void Bf16_gradient_accumulation_matches_one_larger_batch()
    {
        using var big = NewTrainer(Options(1) with { BatchSize = 8, Precision = Precision.Bf16 }, dropout: 0);
        using var accumulated = NewTrainer(Options(1) with { BatchSize = 2, GradientAccumulationSteps = 4, Precision = Precision.Bf16 }, dropout: 0);
        big.Run();
        accumulated.Run();
        var expected = big.Optimizer.MasterWeights().ToDictionary(w => w.Name, w => w.Tensor);
        foreach (var (name, weight) in accumulated.Optimizer.MasterWeights())
            Assert.True(weight.allclose(expected[name], rtol: 0, atol: 2e-3), $"{name} differs by {(weight - expected[name]).abs().max().item<float>()}");
    }

    [Fact]
    public void Mfu_counts_6N_plus_attention_flops_per_token()
    {
        var gpt2 = Course.Preset.Named("gpt2").Model;
        var n = 124_439_808L - 1024L * 768; // without the position embedding
        Assert.Equal(6.0 * n + 12.0 * 12 * 768 * 1024, Throughput.FlopsPerToken(gpt2));
        // The reference baseline: PyTorch eager GPT-2 at 302,867 tokens/s on an H100 is MFU 0.26 of 989 TFLOP/s.
        Assert.Equal(0.26, Throughput.Mfu(gpt2, 302_867, 989), 2);
    }

    [Fact]
    public void Benchmark_result_has_the_documented_json_fields()
    {
        var result = Benchmark.Run(BenchmarkSpec.Standard["tiny"], CPU, warmup: 1, steps: 2, peakTflops: null);
        Assert.True(result.MsPerStep > 0 && result.TokensPerSecond > 0);
        Assert.Equal(result.Parameters, Course.Preset.Named("tiny").Model.ParameterCount());
        var json = JsonDocument.Parse(JsonSerializer.Serialize(result, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower })).RootElement;
        foreach (var field in new[] { "name", "device", "torch_sharp", "libtorch", "config", "batch_size", "gradient_accumulation_steps", "precision",
                     "parameters", "timed_steps", "ms_per_step", "forward_backward_ms", "optimizer_ms", "tokens_per_second", "mfu", "peak_gpu_memory_bytes", "final_loss", "measured" })
            Assert.True(json.TryGetProperty(field, out _), $"missing field {field}");
        Assert.Equal(JsonValueKind.Null, json.GetProperty("peak_gpu_memory_bytes").ValueKind); // no GPU here
    }

    [Fact]
    public void The_pytorch_reference_writes_readable_safetensors_with_decreasing_step_losses()
    {
        var directory = TempDirectory();
        PyTorchReference.Write(directory, CPU);
        using var weights = SafeTensors.Read(Path.Combine(directory, "weights.safetensors"));
        using var outputs = SafeTensors.Read(Path.Combine(directory, "outputs.safetensors"));
        Assert.Contains("config", weights.Metadata.Keys);
        Assert.Equal(new long[] { PyTorchReference.BatchSize, PyTorchReference.Config.BlockSize, PyTorchReference.Config.VocabSize }, outputs.Tensors["logits"].shape);
        Assert.All(weights.Tensors.Keys, name => Assert.Contains($"grad.{name}", outputs.Tensors.Keys));
        var losses = outputs.Tensors["step_losses"].data<float>().ToArray();
        Assert.Equal(PyTorchReference.Steps, losses.Length);
        Assert.True(losses[^1] < losses[0]);
    }
}
