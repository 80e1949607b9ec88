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
    public static Command Create()
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "A checkpoint folder, e.g. runs/NAME/checkpoints/best.", Required = true };
        var prompt = new Option<string>("--prompt") { Description = "Text to continue.", DefaultValueFactory = _ => "\n" };
        var tokens = new Option<int>("--tokens") { Description = "Tokens to generate.", DefaultValueFactory = _ => 300 };
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
            var (model, tokenizer, _) = Checkpoint.LoadModel(parse.GetValue(checkpoint)!, DeviceChoice.Resolve(parse.GetValue(device)!));
            using (model)
            {
                var text = parse.GetValue(prompt)!;
                if (text.Length == 0) throw new ArgumentException("--prompt is empty; give at least one character (the default is a newline).");
                using var scope = NewDisposeScope();
                var modelDevice = model.parameters().First().device;
                var idx = tensor(tokenizer.Encode(text).Select(i => (long)i).ToArray(), device: modelDevice).unsqueeze(0);
                using var generator = new Generator(parse.GetValue(seed));
                var ids = model.Generate(idx, parse.GetValue(tokens), sampler, generator);
                AnsiConsole.Console.WriteLine(tokenizer.Decode(ids[0].cpu().data<long>().ToArray().Select(i => (int)i)));
            }
            return 0;
        });
        return command;
    }
}
