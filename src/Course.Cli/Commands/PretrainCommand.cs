using System.CommandLine;
using Course.Data;
using Course.Experiments;
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
        var preset = new Option<string?>("--preset") { Description = $"Model size: {string.Join(", ", Preset.All.Keys)}. Default: {Preset.Default}." };
        var corpus = new Option<string?>("--corpus") { Description = $"A catalog corpus ({string.Join(", ", CorpusCatalog.Names)}) or the path of a UTF-8 text file. Default: {Corpora.Default}." };
        var tokenizer = new Option<string?>("--tokenizer") { Description = $"Tokenizer spec: {string.Join("; ", Tokenizers.ValidSpecs)}. Default: char for char-level presets, r50k_base for gpt2." };
        var shards = new Option<string?>("--shards") { Description = "Train on token shards written by `course data prepare` (read memory-mapped) instead of --corpus and --tokenizer." };
        var steps = new Option<int?>("--steps") { Description = "Optimizer steps (default: the preset's recipe; on --resume, the run's)." };
        var batchSize = new Option<int?>("--batch-size") { Description = "Sequences per micro-batch." };
        var accumulation = new Option<int?>("--grad-accum") { Description = "Micro-batches per optimizer step." };
        var lr = new Option<double?>("--lr") { Description = "Peak learning rate." };
        var evalInterval = new Option<int?>("--eval-interval") { Description = "Steps between evaluations." };
        var evalBatches = new Option<int?>("--eval-batches") { Description = "Batches averaged per evaluation." };
        var saveInterval = new Option<int?>("--save-interval") { Description = "Steps between saves of checkpoints/latest, the most a kill can lose (default: the evaluation interval)." };
        var seed = new Option<long?>("--seed") { Description = "Random seed for initialisation, batches and dropout." };
        var device = new Option<string>("--device") { Description = "auto (CUDA when present), cpu or cuda.", DefaultValueFactory = _ => "auto" };
        device.AcceptOnlyFromAmong(DeviceChoice.Values);
        var output = new Option<string?>("--out") { Description = "Run folder (default: runs/PRESET-TIMESTAMP)." };
        var resume = new Option<bool>("--resume") { Description = "Continue the run in --out from its newest valid checkpoint, with the options it was started with." };
        var allowUnverified = new Option<bool>("--allow-unverified") { Description = "Accept a downloaded corpus whose catalog entry has no sha256 to check it against." };
        var precision = new Option<string?>("--precision") { Description = "fp32 (default), tf32 or bf16 (bf16 compute, fp32 master weights; for GPUs)." };
        var peakTflops = new Option<double?>("--peak-tflops") { Description = $"Device peak TFLOP/s for MFU (default on CUDA: {BenchCommand.HopperBf16PeakTflops})." };

        var command = new Command("pretrain", "Pretrain a GPT on a corpus (default: the .NET API documentation shipped with the SDK, no download).")
        {
            preset, corpus, tokenizer, shards, steps, batchSize, accumulation, lr, evalInterval, evalBatches, saveInterval, seed, device, output, resume, precision,
            peakTflops, allowUnverified,
        };
        command.SetAction(parse =>
        {
            var request = new PretrainRequest(parse.GetValue(preset), parse.GetValue(corpus) is string c && File.Exists(c) ? Path.GetFullPath(c) : parse.GetValue(corpus),
                parse.GetValue(tokenizer), parse.GetValue(shards) is string s ? Path.GetFullPath(s.Length > 0 ? s : throw new UserError("--shards is empty: give the folder that `course data prepare` wrote.")) : null, parse.GetValue(steps), parse.GetValue(batchSize),
                parse.GetValue(accumulation), parse.GetValue(lr), parse.GetValue(evalInterval), parse.GetValue(evalBatches), parse.GetValue(saveInterval), parse.GetValue(seed),
                parse.GetValue(precision) is string p ? PrecisionExtensions.Parse(p) : null);
            if (request.Shards is not null && (request.Corpus is not null || request.Tokenizer is not null))
                throw new UserError($"--shards {request.Shards} already fixes the corpus and the tokenizer (see its {ShardManifest.FileName}); leave out --corpus and --tokenizer.");
            var chosen = Preset.Named(request.Preset ?? Preset.Default);
            var target = DeviceChoice.Resolve(parse.GetValue(device)!);
            var peak = parse.GetValue(peakTflops) ?? (target.type == DeviceType.CUDA ? BenchCommand.HopperBf16PeakTflops : null);
            // Every option is checked before the folder is touched.
            var fresh = request.ApplyTo(chosen.Training) with { PeakTflops = peak };
            fresh.Validate();
            var download = new DownloadOptions { Progress = new Progress<DownloadProgress>(DownloadLine.Print), AllowUnverified = parse.GetValue(allowUnverified) };

            TrainingData FreshData() => LoadData(request.Shards, request.Corpus ?? Corpora.Default, download, text => Tokenizers.FromSpec(request.Tokenizer ?? chosen.Tokenizer, text));
            if (!parse.GetValue(resume))
            {
                // The data first: a missing corpus or a bad tokenizer spec is reported without touching any folder.
                using var data = FreshData();
                using var created = RunFolder.OpenNew(parse.GetValue(output) ?? Path.Combine("runs", $"{chosen.Name}-{DateTime.Now:yyyyMMdd-HHmmss}"), "Add --resume to continue it, or choose another --out.");
                return Pretrain(chosen.ModelFor(data.Tokenizer.VocabSize), chosen.Name, fresh, data, target, created.Path, resumeFrom: null);
            }
            using var folder = RunFolder.Open(parse.GetValue(output) ?? throw new UserError("--resume needs the --out folder of the run to continue."));
            using var point = ResumePoint.Find(folder.Path);
            if (point is null)
            {
                if (folder.HoldsRun) throw new UserError($"{folder.Path} has no checkpoint to resume. Start a new run with another --out.");
                Lines.Write($"[yellow]{Markup.Escape(folder.Path)} has no checkpoint yet[/] (the run stopped before its first save): starting it from step 0.");
                using var data = FreshData();
                return Pretrain(chosen.ModelFor(data.Tokenizer.VocabSize), chosen.Name, fresh, data, target, folder.Path, resumeFrom: null);
            }
            var saved = point.Manifest;
            var options = request.Merge(saved, point.Loaded.Tokenizer) with { PeakTflops = peak };
            using (var data = LoadData(saved.Shards, saved.CorpusName, download, _ => point.Loaded.Tokenizer))
                return Pretrain(saved.Config, request.Preset ?? PretrainRequest.PresetOf(saved.Config), options, data, target, folder.Path, point);
        });
        return command;
    }

    private static TrainingData LoadData(string? shards, string corpus, DownloadOptions download, Func<string, ITokenizer> tokenizerFor) =>
        shards is not null ? TrainingData.FromShards(shards) : TrainingData.FromCorpus(corpus, download, tokenizerFor);

    private static int Pretrain(Models.GptConfig config, string presetName, TrainingOptions options, TrainingData data, torch.Device device, string runDirectory, ResumePoint? resumeFrom)
    {
        var (corpus, tokenizer) = (data.Corpus, data.Tokenizer);
        Lines.Write($"[bold]course pretrain[/]: preset [green]{Markup.Escape(presetName)}[/] on {device.type}, corpus [green]{Markup.Escape(corpus.Name)}[/] " +
                           $"({corpus.Bytes:N0} bytes, sha256 {corpus.Sha256[..12]}…), tokenizer {Markup.Escape(tokenizer.Kind)} ({tokenizer.VocabSize} tokens)");
        if (data.Shards is { } opened)
            Lines.Write($"Token shards {Markup.Escape(opened.Directory)}: {opened.TrainTokens:N0} training and {opened.ValidationTokens:N0} validation tokens, read memory-mapped");
        using var trainer = data.Shards is { } split
            ? new Trainer(config, split, options, device, runDirectory)
            : new Trainer(config, data.Text!, tokenizer, options, device, runDirectory);
        var record = RunRecord.Start("pretrain", config, options, corpus.Name);
        if (resumeFrom is not null)
        {
            // run.json changes only now that the checkpoint is verified and fits this run; a resumed run keeps the time it was first started.
            trainer.Resume(resumeFrom.Loaded, resumeFrom.Directory);
            if (File.Exists(Path.Combine(runDirectory, RunRecord.FileName))) record = record with { Created = RunRecord.Load(runDirectory).Created };
            var why = resumeFrom.PassedOver.Count > 0 ? $" ({string.Join("; ", resumeFrom.PassedOver.Select(n => n.Split(" (")[0]))})" : "";
            Lines.Write($"Resumed from {Markup.Escape(resumeFrom.Name)} at step {trainer.Step}{Markup.Escape(why)}.");
        }
        else trainer.SaveLatest(); // from now on the folder always holds a checkpoint to resume from
        record.Save(runDirectory);
        Lines.Write($"{trainer.Model.ParameterCount():N0} parameters; {options.MaxSteps} steps of {options.BatchSize * options.GradientAccumulationSteps} × {config.BlockSize} tokens, " +
                    $"checkpoints/latest saved every {options.CheckpointInterval} steps; run folder {Markup.Escape(runDirectory)}");

        if (RecordedTraining.Run(trainer, record, runDirectory)) return UserErrors.ExitInterrupted;
        RunReport.Print(trainer, corpus, tokenizer, runDirectory);
        record.Finish(RunRecord.Completed, RunRecord.LossMetrics(runDirectory)).Save(runDirectory);
        return 0;
    }
}
