using System.CommandLine;
using System.Text.Json;
using Course.Evaluation;
using Course.Models;
using Spectre.Console;
using TorchSharp;

namespace Course.Cli.Commands;

/// <summary>`course bench generation`: tokens/s with and without the KV cache, per model size and context length.</summary>
public static class GenerationBenchCommand
{
    public static Command Create()
    {
        var presets = new Option<string[]>("--preset") { Description = "Model sizes to measure (presets; random weights: speed does not depend on them).", DefaultValueFactory = _ => ["cpu-small", "gpt2"], AllowMultipleArgumentsPerToken = true };
        var contexts = new Option<int[]>("--context") { Description = "Context lengths at which to measure.", DefaultValueFactory = _ => [64, 256, 1024], AllowMultipleArgumentsPerToken = true };
        var tokens = new Option<int>("--tokens") { Description = "Tokens generated per measurement (the first pays for the prompt).", DefaultValueFactory = _ => 16 };
        var device = new Option<string>("--device") { Description = "auto, cpu or cuda.", DefaultValueFactory = _ => "auto" };
        device.AcceptOnlyFromAmong(DeviceChoice.Values);
        var output = new Option<string?>("--out") { Description = "Write the results (a JSON array) to this file." };
        var command = new Command("generation", "Time generation with and without the KV cache: prompt seconds and tokens/s at each context length.")
        {
            presets, contexts, tokens, device, output,
        };
        command.SetAction(parse =>
        {
            var target = DeviceChoice.Resolve(parse.GetValue(device)!);
            var lengths = parse.GetValue(contexts)!;
            var count = parse.GetValue(tokens);
            if (count < 2) throw new UserError($"--tokens must be at least 2 (got {count}): the first token pays for the prompt.");
            if (lengths.Min() <= count)
                throw new UserError($"--context {lengths.Min()} must exceed the tokens generated (--tokens {count}): the prompt is the context less those tokens.");
            var results = new List<GenerationSpeed>();
            foreach (var name in parse.GetValue(presets)!)
            {
                var preset = Preset.Named(name);
                // A longer block where a context asks for it: the position table grows, the cost per token does not change.
                using var model = LanguageModel.Create(preset.Model with { BlockSize = Math.Max(preset.Model.BlockSize, lengths.Max()) });
                model.to(target);
                foreach (var context in lengths)
                    foreach (var cached in new[] { false, true })
                    {
                        Lines.Write($"bench generation [green]{name}[/], context {context}, {(cached ? "with" : "without")} the KV cache, {count} tokens on {target.type}…");
                        results.Add(GenerationBenchmark.Measure(model, name, context, count, cached));
                    }
            }
            var table = new Table().AddColumns("model", "parameters", "context", "prompt s (no cache)", "tokens/s (no cache)", "prompt s (cache)", "tokens/s (cache)", "speed-up");
            foreach (var pair in results.Chunk(2))
                table.AddRow(pair[0].Model, $"{pair[0].Parameters:N0}", $"{pair[0].Context}", $"{pair[0].PromptSeconds:F3}", $"{pair[0].TokensPerSecond:G3}",
                    $"{pair[1].PromptSeconds:F3}", $"{pair[1].TokensPerSecond:G3}", $"{pair[1].TokensPerSecond / pair[0].TokensPerSecond:F1}×");
            AnsiConsole.Console.Write(table);
            if (parse.GetValue(output) is string path)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
                File.WriteAllText(path, JsonSerializer.Serialize(results, BenchCommand.Json));
                AnsiConsole.Console.WriteLine($"Wrote {path}");
            }
            return 0;
        });
        return command;
    }
}
