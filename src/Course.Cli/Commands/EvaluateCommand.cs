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
        var shards = new Option<string?>("--shards") { Description = "Evaluate on the validation shard of a folder written by `course data prepare` instead of a corpus." };
        var batches = new Option<int>("--batches") { Description = "Validation batches to average.", DefaultValueFactory = _ => 100 };
        var device = new Option<string>("--device") { Description = "auto, cpu or cuda.", DefaultValueFactory = _ => "auto" };
        device.AcceptOnlyFromAmong(DeviceChoice.Values);
        var command = new Command("evaluate", "Measure a checkpoint on the validation split of a corpus.") { checkpoint, corpus, shards, batches, device };
        command.SetAction(parse =>
        {
            var count = parse.GetValue(batches);
            if (count <= 0) throw new UserError($"--batches must be positive (got {count}).");
            var shardsDirectory = parse.GetValue(shards);
            if (shardsDirectory is not null && parse.GetValue(corpus) is not null) throw new UserError("Give --corpus or --shards, not both.");
            var (model, tokenizer, manifest) = Checkpoint.LoadModel(parse.GetValue(checkpoint)!, DeviceChoice.Resolve(parse.GetValue(device)!));
            using (model)
            {
                var download = new DownloadOptions { Progress = new Progress<DownloadProgress>(DownloadLine.Print) };
                using var data = shardsDirectory is not null
                    ? TrainingData.FromShards(shardsDirectory)
                    : TrainingData.FromCorpus(parse.GetValue(corpus) ?? manifest.CorpusName, download, _ => tokenizer);
                if (data.Tokenizer.Kind != tokenizer.Kind || data.Tokenizer.VocabSize != tokenizer.VocabSize)
                    throw new UserError($"The shards in {shardsDirectory} use tokenizer {data.Tokenizer.Kind} ({data.Tokenizer.VocabSize} tokens), the checkpoint " +
                        $"{tokenizer.Kind} ({tokenizer.VocabSize} tokens). Evaluate on shards prepared with the checkpoint's tokenizer.");
                if (data.Shards is { } opened) opened.RequireWindow(model.Config.BlockSize);
                using var split = data.Text is { } text ? new TokenSplit(tokenizer.Encode(text.Text), model.Config.BlockSize) : null;
                ITokenBatches validation = (ITokenBatches?)split ?? data.Shards!;
                using var generator = new torch.Generator((ulong)manifest.Options.Seed);
                var modelDevice = model.parameters().First().device;
                var loss = Evaluator.MeanLoss(model, _ => validation.Batch(true, manifest.Options.BatchSize, model.Config.BlockSize, generator, modelDevice), count);
                var table = new Table().AddColumns("metric", "value");
                table.AddRow("validation loss (nats/token)", $"{loss:F4}");
                table.AddRow("perplexity", $"{Evaluator.Perplexity(loss):F2}");
                table.AddRow("bits per character", $"{Evaluator.BitsPerCharacter(loss, validation.TokensPerCharacter(data.Corpus.Characters)):F3}");
                table.AddRow("unigram baseline bits per character", $"{data.Corpus.UnigramBitsPerCharacter:F3}");
                table.AddRow("checkpoint step", $"{manifest.Step}");
                AnsiConsole.Console.Write(table);
            }
            return 0;
        });
        return command;
    }
}
