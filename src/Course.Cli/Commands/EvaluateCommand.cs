using System.CommandLine;
using Course.Data;
using Course.Evaluation;
using Course.Training;
using Spectre.Console;
using TorchSharp;

namespace Course.Cli.Commands;

/// <summary>`course evaluate`: validation loss, perplexity and bits per character of a checkpoint.</summary>
public static class EvaluateCommand
{
    public static Command Create()
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "A checkpoint folder, e.g. runs/NAME/checkpoints/best.", Required = true };
        var corpus = new Option<string?>("--corpus") { Description = "Corpus to evaluate on (default: the one the checkpoint was trained on)." };
        var batches = new Option<int>("--batches") { Description = "Validation batches to average.", DefaultValueFactory = _ => 100 };
        var device = new Option<string>("--device") { Description = "auto, cpu or cuda.", DefaultValueFactory = _ => "auto" };
        device.AcceptOnlyFromAmong(DeviceChoice.Values);
        var command = new Command("evaluate", "Measure a checkpoint on the validation split of a corpus.") { checkpoint, corpus, batches, device };
        command.SetAction(parse =>
        {
            var count = parse.GetValue(batches);
            if (count <= 0) throw new ArgumentException($"--batches must be positive (got {count}).");
            var (model, tokenizer, manifest) = Checkpoint.LoadModel(parse.GetValue(checkpoint)!, DeviceChoice.Resolve(parse.GetValue(device)!));
            using (model)
            {
                var text = Corpora.Load(parse.GetValue(corpus) ?? manifest.CorpusName).Text;
                using var split = new TokenSplit(tokenizer.Encode(text), model.Config.BlockSize);
                using var generator = new torch.Generator((ulong)manifest.Options.Seed);
                var modelDevice = model.parameters().First().device;
                var loss = Evaluator.MeanLoss(model, _ => split.Batch(true, manifest.Options.BatchSize, model.Config.BlockSize, generator, modelDevice), count);
                var tokensPerChar = split.TokensPerCharacter(text);
                var table = new Table().AddColumns("metric", "value");
                table.AddRow("validation loss (nats/token)", $"{loss:F4}");
                table.AddRow("perplexity", $"{Evaluator.Perplexity(loss):F2}");
                table.AddRow("bits per character", $"{Evaluator.BitsPerCharacter(loss, tokensPerChar):F3}");
                table.AddRow("unigram baseline bits per character", $"{Evaluator.UnigramBitsPerCharacter(text):F3}");
                table.AddRow("checkpoint step", $"{manifest.Step}");
                AnsiConsole.Console.Write(table);
            }
            return 0;
        });
        return command;
    }
}
