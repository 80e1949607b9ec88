using System.CommandLine;
using Course.Data;
using Course.Evaluation;
using Course.Experiments;
using Course.Models;
using Course.Training;
using Spectre.Console;
using TorchSharp;
using DeviceType = TorchSharp.DeviceType;

namespace Course.Cli.Commands;

/// <summary>`course pretrain`: train a GPT from scratch on a corpus, with progress, a sample, a summary and a loss chart.</summary>
public static class PretrainCommand
{
    public static Command Create()
    {
        var preset = new Option<string>("--preset") { Description = $"Model size: {string.Join(", ", Preset.All.Keys)}.", DefaultValueFactory = _ => Preset.Default };
        var corpus = new Option<string?>("--corpus") { Description = $"A catalog corpus ({string.Join(", ", CorpusCatalog.Names)}) or the path of a UTF-8 text file. Default: {Corpora.Default}." };
        var tokenizer = new Option<string?>("--tokenizer") { Description = $"Tokenizer spec: {string.Join("; ", Tokenizers.ValidSpecs)}. Default: char for char-level presets, r50k_base for gpt2." };
        var shards = new Option<string?>("--shards") { Description = "Train on token shards written by `course data prepare` (read memory-mapped) instead of --corpus and --tokenizer." };
        var steps = new Option<int?>("--steps") { Description = "Optimizer steps (default: the preset's recipe)." };
        var batchSize = new Option<int?>("--batch-size") { Description = "Sequences per micro-batch." };
        var accumulation = new Option<int?>("--grad-accum") { Description = "Micro-batches per optimizer step." };
        var lr = new Option<double?>("--lr") { Description = "Peak learning rate." };
        var evalInterval = new Option<int?>("--eval-interval") { Description = "Steps between evaluations." };
        var evalBatches = new Option<int?>("--eval-batches") { Description = "Batches averaged per evaluation." };
        var seed = new Option<long?>("--seed") { Description = "Random seed for initialisation, batches and dropout." };
        var device = new Option<string>("--device") { Description = "auto (CUDA when present), cpu or cuda.", DefaultValueFactory = _ => "auto" };
        device.AcceptOnlyFromAmong(DeviceChoice.Values);
        var output = new Option<string?>("--out") { Description = "Run folder (default: runs/PRESET-TIMESTAMP)." };
        var resume = new Option<bool>("--resume") { Description = "Continue the run in --out from its latest checkpoint." };
        var allowUnverified = new Option<bool>("--allow-unverified") { Description = "Accept a downloaded corpus whose catalog entry has no sha256 to check it against." };
        var precision = new Option<string>("--precision") { Description = "fp32, tf32 or bf16 (bf16 compute, fp32 master weights; for GPUs).", DefaultValueFactory = _ => "fp32" };
        var peakTflops = new Option<double?>("--peak-tflops") { Description = $"Device peak TFLOP/s for MFU (default on CUDA: {BenchCommand.HopperBf16PeakTflops})." };

        var command = new Command("pretrain", "Pretrain a GPT on a corpus (default: the .NET API documentation shipped with the SDK, no download).")
        {
            preset, corpus, tokenizer, shards, steps, batchSize, accumulation, lr, evalInterval, evalBatches, seed, device, output, resume, precision, peakTflops, allowUnverified,
        };
        command.SetAction(parse =>
        {
            var chosen = Preset.Named(parse.GetValue(preset)!);
            var target = DeviceChoice.Resolve(parse.GetValue(device)!);
            var recipe = parse.GetValue(lr) is double peak ? chosen.Training.WithLearningRate(peak) : chosen.Training;
            var options = recipe with
            {
                MaxSteps = parse.GetValue(steps) ?? recipe.MaxSteps,
                BatchSize = parse.GetValue(batchSize) ?? recipe.BatchSize,
                GradientAccumulationSteps = parse.GetValue(accumulation) ?? recipe.GradientAccumulationSteps,
                EvalInterval = parse.GetValue(evalInterval) ?? recipe.EvalInterval,
                EvalBatches = parse.GetValue(evalBatches) ?? recipe.EvalBatches,
                Seed = parse.GetValue(seed) ?? recipe.Seed,
                Precision = PrecisionExtensions.Parse(parse.GetValue(precision)!),
                PeakTflops = parse.GetValue(peakTflops) ?? (target.type == DeviceType.CUDA ? BenchCommand.HopperBf16PeakTflops : null),
            };
            options.Validate();
            var shardsDirectory = parse.GetValue(shards);
            if (shardsDirectory is not null && (parse.GetValue(corpus) is not null || parse.GetValue(tokenizer) is not null))
                throw new ArgumentException($"--shards {shardsDirectory} already fixes the corpus and the tokenizer (see its {ShardManifest.FileName}); leave out --corpus and --tokenizer.");
            var resuming = parse.GetValue(resume);
            var runDirectory = RunFolder.Prepare(parse.GetValue(output) ?? Path.Combine("runs", $"{chosen.Name}-{DateTime.Now:yyyyMMdd-HHmmss}"), resuming);
            var download = new DownloadOptions { Progress = new Progress<DownloadProgress>(DownloadLine.Print), AllowUnverified = parse.GetValue(allowUnverified) };
            var data = shardsDirectory is not null
                ? TrainingData.FromShards(shardsDirectory)
                : TrainingData.FromCorpus(parse.GetValue(corpus) ?? Corpora.Default, download, resuming
                    ? _ => TokenizerStore.Load(Path.Combine(runDirectory, Trainer.LatestCheckpoint))
                    : text => Tokenizers.FromSpec(parse.GetValue(tokenizer) ?? chosen.Tokenizer, text));
            using (data) return Pretrain(chosen, options, data, target, runDirectory, resuming);
        });
        return command;
    }

    private static int Pretrain(Preset preset, TrainingOptions options, TrainingData data, torch.Device device, string runDirectory, bool resume)
    {
        var latest = Path.Combine(runDirectory, Trainer.LatestCheckpoint);
        var (corpus, tokenizer) = (data.Corpus, data.Tokenizer);
        var config = preset.ModelFor(tokenizer.VocabSize);

        Lines.Write($"[bold]course pretrain[/]: preset [green]{preset.Name}[/] on {device.type}, corpus [green]{Markup.Escape(corpus.Name)}[/] " +
                           $"({corpus.Bytes:N0} bytes, sha256 {corpus.Sha256[..12]}…), tokenizer {Markup.Escape(tokenizer.Kind)} ({tokenizer.VocabSize} tokens)");
        if (data.Shards is { } opened)
            Lines.Write($"Token shards {Markup.Escape(opened.Directory)}: {opened.TrainTokens:N0} training and {opened.ValidationTokens:N0} validation tokens, read memory-mapped");
        using var trainer = data.Shards is { } split
            ? new Trainer(config, split, options, device, runDirectory)
            : new Trainer(config, data.Text!, tokenizer, options, device, runDirectory);
        var record = RunRecord.Start("pretrain", config, options, corpus.Name);
        // A resumed run keeps the time it was first started.
        if (resume && File.Exists(Path.Combine(runDirectory, RunRecord.FileName))) record = record with { Created = RunRecord.Load(runDirectory).Created };
        record.Save(runDirectory);
        if (resume)
        {
            trainer.Resume(latest);
            Lines.Write($"Resumed from {Markup.Escape(latest)} at step {trainer.Step}.");
        }
        Lines.Write($"{trainer.Model.ParameterCount():N0} parameters; {options.MaxSteps} steps of {options.BatchSize * options.GradientAccumulationSteps} × {config.BlockSize} tokens; run folder {Markup.Escape(runDirectory)}");

        if (Interruptible.Run(token => TrainingDisplay.Run(trainer, token)))
        {
            record.Finish(RunRecord.Interrupted, RunRecord.LossMetrics(runDirectory)).Save(runDirectory);
            Lines.Write($"[yellow]Interrupted at step {trainer.Step}.[/] Checkpoint saved to {Markup.Escape(latest)}; continue with --out {Markup.Escape(runDirectory)} --resume.");
            return UserErrors.ExitInterrupted;
        }
        RunReport.Print(trainer, corpus, tokenizer, runDirectory);
        record.Finish(RunRecord.Completed, RunRecord.LossMetrics(runDirectory)).Save(runDirectory);
        return 0;
    }
}
