using System.CommandLine;
using Course.Evaluation;
using Course.Training;
using Spectre.Console;
using TorchSharp;
using static TorchSharp.torch;

namespace Course.Cli.Commands;

/// <summary>`course sample`: continue a prompt with a trained model.</summary>
public static class SampleCommand
{
    /// <summary>The most tokens one call generates: a few minutes on a CPU for the presets that fit one.</summary>
    public const int MaxTokens = 100_000;

    public static Command Create()
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "A checkpoint folder, e.g. runs/NAME/checkpoints/best.", Required = true };
        var prompt = new Option<string>("--prompt") { Description = "Text to continue.", DefaultValueFactory = _ => "\n" };
        var tokens = new Option<int>("--tokens") { Description = $"Tokens to generate (at most {MaxTokens:N0}), printed as they come.", DefaultValueFactory = _ => 300 };
        var temperature = new Option<double>("--temperature") { Description = "Below 1 sharpens, above 1 flattens; 0 is greedy.", DefaultValueFactory = _ => 0.8 };
        var topK = new Option<int?>("--top-k") { Description = "Keep only the k most likely tokens." };
        var topP = new Option<double?>("--top-p") { Description = "Keep the smallest set of tokens with probability ≥ p." };
        var seed = new Option<ulong>("--seed") { Description = "Random seed.", DefaultValueFactory = _ => 1234 };
        var device = new Option<string>("--device") { Description = "auto, cpu or cuda.", DefaultValueFactory = _ => "auto" };
        device.AcceptOnlyFromAmong(DeviceChoice.Values);
        var command = new Command("sample", "Generate text from a checkpoint.") { checkpoint, prompt, tokens, temperature, topK, topP, seed, device };
        command.SetAction(parse =>
        {
            var sampler = new NextTokenSampler(parse.GetValue(temperature), parse.GetValue(topK), parse.GetValue(topP)).Validate();
            var count = parse.GetValue(tokens);
            if (count is < 0 or > MaxTokens) throw new UserError($"--tokens must be from 0 to {MaxTokens:N0} (got {count:N0}).");
            var (model, tokenizer, _) = Checkpoint.LoadModel(parse.GetValue(checkpoint)!, DeviceChoice.Resolve(parse.GetValue(device)!));
            using (model)
            {
                var text = parse.GetValue(prompt)!;
                if (text.Length == 0) throw new UserError("--prompt is empty; give at least one character (the default is a newline).");
                int[] promptIds;
                try { promptIds = tokenizer.Encode(text); }
                catch (ArgumentException e) { throw new UserError($"--prompt cannot be encoded by the checkpoint's {tokenizer.Kind} tokenizer: {e.Message}"); }
                using var generator = new Generator(parse.GetValue(seed));
                Console.Write(text);
                TokenStream.Generate(model, promptIds, count, sampler, generator, tokenizer, Console.Write);
                Console.WriteLine();
            }
            return 0;
        });
        return command;
    }
}
