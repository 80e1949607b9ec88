using System.CommandLine;
using System.Text.Json;
using Course.Data;
using Course.Experiments;
using Course.Training;
using Course.Visualization;
using Course.Vision;
using Spectre.Console;
using TorchSharp;

namespace Course.Cli.Commands;

/// <summary>`course vision train`: a convolutional network on the digits or CIFAR-10, with pretraining's run folder,
/// checkpoints, progress, Ctrl+C and --resume; at the end the test accuracy, per-class scores and confusion matrix.</summary>
public static class VisionCommand
{
    public static Command Create()
    {
        var dataset = new Option<string>("--dataset") { Description = "digits (1,797 8×8 images, shipped) or cifar10 (60,000 32×32 colour images, downloaded once, 170 MB).", DefaultValueFactory = _ => Digits.Name };
        dataset.AcceptOnlyFromAmong([.. ImageDatasets.Names]);
        var preset = new Option<string>("--preset") { Description = "seed (conv 32 → pool → conv 64 → pool → conv 64 → dense 64 → 10) or small (8, 16, 16, dense 32).", DefaultValueFactory = _ => "seed" };
        preset.AcceptOnlyFromAmong([.. ConvNetConfig.Presets.Keys]);
        var padding = new Option<string?>("--padding") { Description = "valid (no padding, the seed's) or same (one ring of zeros). Default: valid, or same for images too small for valid (the digits)." };
        padding.AcceptOnlyFromAmong("valid", "same");
        var steps = new Option<int?>("--steps") { Description = "Optimizer steps (default: the data set's recipe)." };
        var batchSize = new Option<int?>("--batch-size") { Description = "Images per batch." };
        var lr = new Option<double?>("--lr") { Description = "Peak learning rate." };
        var evalInterval = new Option<int?>("--eval-interval") { Description = "Steps between evaluations." };
        var evalBatches = new Option<int?>("--eval-batches") { Description = "Batches of images each evaluation scores, from the start of each split." };
        var seed = new Option<long?>("--seed") { Description = "Random seed for initialisation and batches." };
        var device = new Option<string>("--device") { Description = "auto (CUDA when present), cpu or cuda.", DefaultValueFactory = _ => "auto" };
        device.AcceptOnlyFromAmong(DeviceChoice.Values);
        var output = new Option<string?>("--out") { Description = "Run folder (default: runs/vision-DATASET-PRESET-TIMESTAMP)." };
        var resume = new Option<bool>("--resume") { Description = "Continue the run in --out from its latest checkpoint." };

        var train = new Command("train", "Train a convolutional network to classify images; report its test accuracy.")
        {
            dataset, preset, padding, steps, batchSize, lr, evalInterval, evalBatches, seed, device, output, resume,
        };
        train.SetAction(parse =>
        {
            var name = parse.GetValue(dataset)!;
            var recipe = parse.GetValue(lr) is double peak ? ImageDatasets.Recipe(name).WithLearningRate(peak) : ImageDatasets.Recipe(name);
            var options = (recipe with
            {
                MaxSteps = parse.GetValue(steps) ?? recipe.MaxSteps,
                BatchSize = parse.GetValue(batchSize) ?? recipe.BatchSize,
                EvalInterval = parse.GetValue(evalInterval) ?? recipe.EvalInterval,
                EvalBatches = parse.GetValue(evalBatches) ?? recipe.EvalBatches,
                Seed = parse.GetValue(seed) ?? recipe.Seed,
            }).Validate();
            var (channels, size) = ImageDatasets.Shape(name);
            var pad = parse.GetValue(padding) switch { "valid" => 0, "same" => 1, _ => ImageDatasets.Padding(name) };
            var config = ConvNetConfig.Presets[parse.GetValue(preset)!](channels, size, pad).Validate();
            var target = DeviceChoice.Resolve(parse.GetValue(device)!);
            var resuming = parse.GetValue(resume);
            // Everything is checked before the run folder is touched or anything is downloaded.
            var path = parse.GetValue(output) ?? Path.Combine("runs", $"vision-{name}-{parse.GetValue(preset)}-{DateTime.Now:yyyyMMdd-HHmmss}");
            using var folder = resuming ? RunFolder.Open(path) : RunFolder.OpenNew(path, "Add --resume to continue it, or choose another --out.");
            var latest = Path.Combine(folder.Path, Trainer.LatestCheckpoint);
            if (resuming && !Directory.Exists(CheckpointFolder.Recover(latest)))
                throw new UserError($"--resume: {folder.Path} has no checkpoint to resume ({Trainer.LatestCheckpoint} is missing). Give the --out of an earlier run.");
            var data = ImageDatasets.Load(name, new DownloadOptions { Progress = new Progress<DownloadProgress>(DownloadLine.Print) });
            return Train(data, config, parse.GetValue(preset)!, options, target, folder.Path, resuming);
        });
        return new Command("vision", "Convolutional networks on images.") { train };
    }

    private static int Train(ImageDataset data, ConvNetConfig config, string preset, TrainingOptions options, torch.Device device, string runDirectory, bool resume)
    {
        var latest = Path.Combine(runDirectory, Trainer.LatestCheckpoint);
        torch.manual_seed(options.Seed);
        using var model = new ConvNet(config);
        using var trainer = new ImageClassifierTrainer(model, data, options, device, runDirectory);
        var record = RunRecord.Start("vision", config, options, data.Name);
        if (resume)
        {
            trainer.Resume(latest);
            if (File.Exists(Path.Combine(runDirectory, RunRecord.FileName))) record = record with { Created = RunRecord.Load(runDirectory).Created };
        }
        record.Save(runDirectory);

        Lines.Write($"[bold]course vision train[/]: [green]{data.Name}[/] ({data.Train.Count:N0} training, {data.Validation.Count:N0} validation, {data.Test.Count:N0} test images " +
                    $"of {data.Channels}×{data.ImageSize}×{data.ImageSize}, sha256 {data.Sha256[..12]}…) on {device.type}");
        var maps = string.Join(" → ", new[] { data.ImageSize }.Concat(config.MapSizes));
        Lines.Write($"preset [green]{preset}[/]: conv {config.Filters1} → pool → conv {config.Filters2} → pool → conv {config.Filters3} → dense {config.Hidden} → {config.Classes}, " +
                    $"{(config.Padding == 1 ? "same" : "valid")} padding (map sizes {maps}); {model.ParameterCount():N0} parameters");
        if (resume) Lines.Write($"Resumed from {Markup.Escape(latest)} at step {trainer.Step}.");
        Lines.Write($"{options.MaxSteps} steps of {options.BatchSize} images; run folder {Markup.Escape(runDirectory)}");
        trainer.Evaluated += e => Lines.Write(
            $"step {e.Step,6}: train loss {e.TrainLoss:F4}, val loss {e.ValidationLoss:F4}, val accuracy {e.ValidationAccuracy:P2}{(e.Best ? " [green]best[/]" : "")}");

        if (Interruptible.Run(token => TrainingDisplay.Run(trainer, "img", token)))
        {
            record.Finish(RunRecord.Interrupted, RunRecord.LossMetrics(runDirectory)).Save(runDirectory);
            Lines.Write($"[yellow]Interrupted at step {trainer.Step}.[/] Checkpoint saved to {Markup.Escape(latest)}; continue with --out {Markup.Escape(runDirectory)} --resume.");
            return UserErrors.ExitInterrupted;
        }

        var test = trainer.Score(data.Test);
        ClassifierReport.Print(test, $"{data.Name} test split ({data.Test.Count:N0} images), after step {trainer.Step}");
        var metrics = MetricsLog.Read(runDirectory).ToList();
        RunReport.SaveLossChart(metrics, runDirectory, $"{preset} ConvNet on {data.Name}");
        ChartFiles.Save(Charts.ConfusionMatrix(test.Counts, data.ClassNames, $"{data.Name}: test confusion matrix"), Path.Combine(runDirectory, "confusion.html"));
        var final = RunRecord.LossMetrics(runDirectory);
        final["test_accuracy"] = test.Accuracy;
        final["test_macro_f1"] = test.MacroF1;
        final["parameters"] = model.ParameterCount();
        File.WriteAllText(Path.Combine(runDirectory, "summary.json"), JsonSerializer.Serialize(new
        {
            dataset = data.Name, dataset_sha256 = data.Sha256, source = data.Source, preset, config, parameters = model.ParameterCount(), steps = trainer.Step,
            training_seconds = final.GetValueOrDefault("training_seconds"), best_val_loss = trainer.BestValidationLoss, test = test.Summary(),
        }, new JsonSerializerOptions { WriteIndented = true }));
        record.Finish(RunRecord.Completed, final).Save(runDirectory);
        Lines.Write($"Test accuracy [bold]{test.Accuracy:P2}[/]. Run folder {Markup.Escape(runDirectory)} (metrics.jsonl, loss.html/.svg, confusion.html/.svg, summary.json, checkpoints/).");
        return 0;
    }
}
