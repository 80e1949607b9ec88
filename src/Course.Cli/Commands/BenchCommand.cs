using System.CommandLine;
using System.Text.Json;
using Course.Training;
using Spectre.Console;
using TorchSharp;

namespace Course.Cli.Commands;

/// <summary>`course bench`: time standard training workloads and write the results as JSON.</summary>
public static class BenchCommand
{
    /// <summary>bf16 dense tensor-core peak of an H100 SXM / H200 (989 TFLOP/s), the default MFU reference on CUDA.</summary>
    public const double HopperBf16PeakTflops = 989;

    public static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static Command Create()
    {
        var workloads = new Option<string[]>("--workload") { Description = $"Workloads to run: {string.Join(", ", BenchmarkSpec.Standard.Keys)}.", DefaultValueFactory = _ => ["tiny"], AllowMultipleArgumentsPerToken = true };
        var precision = new Option<string?>("--precision") { Description = "fp32, tf32 or bf16 (default: the workload's)." };
        var batchSize = new Option<int?>("--batch-size") { Description = "Micro-batch (default: the workload's)." };
        var accumulation = new Option<int?>("--grad-accum") { Description = "Micro-batches per step (default: the workload's)." };
        var warmup = new Option<int>("--warmup") { Description = "Untimed steps first.", DefaultValueFactory = _ => 5 };
        var steps = new Option<int>("--steps") { Description = "Timed steps.", DefaultValueFactory = _ => 20 };
        var device = new Option<string>("--device") { Description = "auto, cpu or cuda.", DefaultValueFactory = _ => "auto" };
        device.AcceptOnlyFromAmong(DeviceChoice.Values);
        var peak = new Option<double?>("--peak-tflops") { Description = $"Peak TFLOP/s for MFU (default on CUDA: {HopperBf16PeakTflops}, H100/H200 bf16)." };
        var output = new Option<string?>("--out") { Description = "Write the results (a JSON array) to this file." };
        var command = new Command("bench", "Time training steps of standard workloads: ms/step, tokens/s, MFU, peak GPU memory.")
        {
            workloads, precision, batchSize, accumulation, warmup, steps, device, peak, output, GenerationBenchCommand.Create(),
        };
        command.SetAction(parse =>
        {
            var target = DeviceChoice.Resolve(parse.GetValue(device)!);
            var peakTflops = parse.GetValue(peak) ?? (target.type == DeviceType.CUDA ? HopperBf16PeakTflops : null);
            // Before the first workload's line, so that bad counts get one line of error and nothing else.
            Benchmark.CheckSteps(parse.GetValue(warmup), parse.GetValue(steps));
            var results = new List<BenchmarkResult>();
            foreach (var name in parse.GetValue(workloads)!)
            {
                if (!BenchmarkSpec.Standard.TryGetValue(name, out var spec))
                    throw new UserError($"Unknown workload '{name}'. Known: {string.Join(", ", BenchmarkSpec.Standard.Keys)}.");
                spec = spec with
                {
                    Precision = parse.GetValue(precision) is string p ? PrecisionExtensions.Parse(p) : spec.Precision,
                    BatchSize = parse.GetValue(batchSize) ?? spec.BatchSize,
                    GradientAccumulationSteps = parse.GetValue(accumulation) ?? spec.GradientAccumulationSteps,
                };
                Lines.Write($"bench [green]{name}[/] ({spec.Precision}, batch {spec.BatchSize}×{spec.GradientAccumulationSteps}) on {target.type}…");
                results.Add(Benchmark.Run(spec, target, parse.GetValue(warmup), parse.GetValue(steps), peakTflops));
            }
            var table = new Table().AddColumns("workload", "precision", "ms/step", "fwd+bwd ms", "optimizer ms", "tokens/s", "MFU", "peak GPU memory");
            foreach (var r in results)
                table.AddRow(r.Name, r.Precision, $"{r.MsPerStep:F1}", $"{r.ForwardBackwardMs:F1}", $"{r.OptimizerMs:F1}", $"{r.TokensPerSecond:N0}", r.Mfu is double m ? $"{m:P1}" : "-",
                    r.PeakGpuMemoryBytes is long b ? $"{b / 1e9:F1} GB" : "-");
            AnsiConsole.Console.Write(table);
            if (parse.GetValue(output) is string path)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
                File.WriteAllText(path, JsonSerializer.Serialize(results, Json));
                AnsiConsole.Console.WriteLine($"Wrote {path}");
            }
            return 0;
        });
        return command;
    }
}
