using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Course.Evaluation;
using Course.Experiments;
using Course.FineTuning;
using Course.FineTuning.Lora;
using Course.Models;
using Course.Training;
using Course.Visualization;
using Spectre.Console;

namespace Course.Cli.Commands;

/// <summary>`course finetune`: train a classifier head (and optionally the body) of a pretrained GPT on a labelled task.</summary>
public static class FinetuneCommand
{
    public static Command Create()
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "Pretrained checkpoint folder, e.g. runs/NAME/checkpoints/best.", Required = true };
        var task = new Option<string>("--task") { Description = $"Classification task: {string.Join(", ", ClassificationTasks.Names)}.", DefaultValueFactory = _ => MemberKindTask.Name };
        var freeze = new Option<bool>("--freeze-body") { Description = "Train only the classification head; the pretrained body stays fixed." };
        var randomBody = new Option<bool>("--random-body") { Description = "Use the checkpoint's architecture and tokenizer but a freshly initialised body (a baseline for what pretraining adds)." };
        var defaults = new FineTuneOptions().Training;
        var steps = new Option<int>("--steps") { Description = "Optimizer steps.", DefaultValueFactory = _ => defaults.MaxSteps };
        var batchSize = new Option<int>("--batch-size") { Description = "Examples per step.", DefaultValueFactory = _ => defaults.BatchSize };
        var lr = new Option<double>("--lr") { Description = "Peak learning rate (the cosine decays to a tenth of it).", DefaultValueFactory = _ => defaults.LearningRate };
        var weights = new Option<string>("--class-weights") { Description = "none, or balanced (weigh each class inversely to its training frequency).", DefaultValueFactory = _ => "none" };
        weights.AcceptOnlyFromAmong([.. FineTuneOptions.ClassWeightChoices]);
        var pooling = new Option<Pooling>("--pooling") { Description = "LastToken (default: the only position that saw the whole text) or Mean.", DefaultValueFactory = _ => Pooling.LastToken };
        var seed = new Option<long>("--seed") { Description = "Seed for the head's initialisation and the batches.", DefaultValueFactory = _ => defaults.Seed };
        var device = new Option<string>("--device") { Description = "auto, cpu or cuda.", DefaultValueFactory = _ => "auto" };
        device.AcceptOnlyFromAmong(DeviceChoice.Values);
        var output = new Option<string?>("--out") { Description = "Run folder (default: runs/finetune-TASK-TIMESTAMP)." };
        var loraRank = new Option<int?>("--lora-rank") { Description = "Train LoRA adapters of this rank r in a frozen body (and the head) instead of the body's weights." };
        var loraAlpha = new Option<double?>("--lora-alpha") { Description = "LoRA's alpha: the update B·A is scaled by alpha / r (default: 2 × rank)." };
        var loraDropout = new Option<double>("--lora-dropout") { Description = "Dropout on the adapters' input.", DefaultValueFactory = _ => 0.0 };
        var loraTargets = new Option<string>("--lora-targets") { Description = $"Comma-separated layers to adapt: {string.Join(", ", LoraConfig.KnownTargets)}.", DefaultValueFactory = _ => "attn" };

        var command = new Command("finetune", "Fine-tune a pretrained GPT as a text classifier and score it on the task's test split.")
        {
            checkpoint, task, freeze, randomBody, steps, batchSize, lr, weights, pooling, seed, device, output, loraRank, loraAlpha, loraDropout, loraTargets,
        };
        command.SetAction(parse =>
        {
            var rate = parse.GetValue(lr);
            var options = new FineTuneOptions
            {
                Training = defaults with { MaxSteps = parse.GetValue(steps), BatchSize = parse.GetValue(batchSize), LearningRate = rate, MinLearningRate = rate / 10, Seed = parse.GetValue(seed) },
                FreezeBody = parse.GetValue(freeze), ClassWeights = parse.GetValue(weights)!, Pooling = parse.GetValue(pooling),
                Lora = LoraOptions(parse, loraRank, loraAlpha, loraDropout, loraTargets),
            }.Validate();
            if (options.Lora is not null && parse.GetValue(randomBody))
                throw new UserError("LoRA adapts a pretrained body, which --random-body replaces: give one of --lora-rank and --random-body.");
            var taskName = parse.GetValue(task)!;
            var target = DeviceChoice.Resolve(parse.GetValue(device)!);
            using var folder = RunFolder.OpenNew(parse.GetValue(output) ?? Path.Combine("runs", $"finetune-{taskName}-{DateTime.Now:yyyyMMdd-HHmmss}"),
                "Fine-tuning has no resume: choose another --out (or delete that folder to replace its run).");
            return Finetune(parse.GetValue(checkpoint)!, taskName, options, parse.GetValue(randomBody), target, folder.Path);
        });
        return command;
    }

    /// <summary>The LoRA configuration of --lora-rank and its companions, or null without --lora-rank.</summary>
    private static LoraConfig? LoraOptions(ParseResult parse, Option<int?> rank, Option<double?> alpha, Option<double> dropout, Option<string> targets)
    {
        if (parse.GetValue(rank) is not { } r)
        {
            var stray = new Option[] { alpha, dropout, targets }.FirstOrDefault(o => parse.GetResult(o) is { Implicit: false });
            if (stray is not null) throw new UserError($"{stray.Name} configures LoRA adapters: give --lora-rank too (8, say).");
            return null;
        }
        var names = parse.GetValue(targets)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return new LoraConfig(r, parse.GetValue(alpha) ?? 2.0 * r, parse.GetValue(dropout), names);
    }

    private static int Finetune(string checkpoint, string taskName, FineTuneOptions options, bool randomBody, TorchSharp.torch.Device device, string runDirectory)
    {
        var data = ClassificationTasks.Load(taskName);
        var (pretrained, tokenizer, manifest) = Checkpoint.LoadModel(checkpoint, device);
        TorchSharp.torch.manual_seed(options.Training.Seed);
        var body = randomBody ? LanguageModel.Create(manifest.Config) : pretrained;
        if (randomBody) pretrained.Dispose();
        using var model = new GptClassifier(body, data.Labels.Count, options.Pooling);
        var encoder = new SequenceEncoder(tokenizer, manifest.Config.BlockSize);
        var source = randomBody ? null : Path.GetFullPath(checkpoint);

        var counts = string.Join(", ", data.Labels.Select((l, i) => $"{l} {ClassificationTask.ClassCounts(data.Train, data.Labels.Count)[i]:N0}"));
        Lines.Write($"[bold]course finetune[/]: task [green]{data.Name}[/] (train {data.Train.Count:N0}, validation {data.Validation.Count:N0}, test {data.Test.Count:N0}; train classes: {counts})");
        Lines.Write($"body: {(randomBody ? "random initialisation" : Markup.Escape(checkpoint))} ({manifest.Config.NLayer}×{manifest.Config.NEmbd}, block {manifest.Config.BlockSize}), " +
                           $"{(options.FreezeBody ? "frozen (head only)" : options.Lora is { } l ? $"frozen with LoRA adapters (r {l.Rank}, alpha {l.Alpha}, dropout {l.Dropout}, targets {string.Join(",", l.Targets)})" : "fine-tuned")}, " +
                           $"pooling {options.Pooling}, class weights {options.ClassWeights}");
        var record = RunRecord.Start("finetune", manifest.Config, options, data.Name);
        record.Save(runDirectory);

        var clock = Stopwatch.StartNew();
        using var trainer = new ClassifierTrainer(model, encoder, data, options, device, runDirectory);
        var (trainable, total) = trainer.ParameterCounts;
        // fp32: each trained number has its value, its gradient and AdamW's m and v, 4 bytes each.
        Lines.Write($"trainable parameters {trainable:N0} of {total:N0} ({(double)trainable / total:P2}); their values, gradients and AdamW moments take {4 * 4 * trainable / 1e6:F2} MB");
        trainer.Evaluated += e => Lines.Write($"step {e.Step,5}: train loss {e.TrainLoss:F4}, val loss {e.ValidationLoss:F4}, val accuracy {e.ValidationAccuracy:P1}, val macro F1 {e.ValidationMacroF1:F3}");
        var interrupted = Interruptible.Run(trainer.Run);
        var seconds = clock.Elapsed.TotalSeconds;

        ClassifierCheckpoint.Save(runDirectory, model, new ClassifierCheckpoint.Manifest(data.Name, data.Labels, manifest.Config, options.Pooling, source, trainer.Step,
            SourceSha256: source is null ? null : manifest.Files[Checkpoint.ModelFile].Sha256), tokenizer, trainer.Adapters);
        if (interrupted)
        {
            record.Finish(RunRecord.Interrupted, new Dictionary<string, double> { ["steps"] = trainer.Step, ["training_seconds"] = seconds }).Save(runDirectory);
            Lines.Write($"[yellow]Interrupted at step {trainer.Step}.[/] The classifier trained so far is saved in {Markup.Escape(runDirectory)}: score it with " +
                $"`course evaluate-classifier --checkpoint {Markup.Escape(runDirectory)}`. Fine-tuning does not resume; run it again for more steps.");
            return UserErrors.ExitInterrupted;
        }
        var test = trainer.Score(data.Test);
        ClassifierReport.Print(test, $"test split ({data.Test.Count:N0} examples)");
        ChartFiles.Save(Charts.ConfusionMatrix(test.Counts, data.Labels, $"{data.Name}: test confusion matrix"), Path.Combine(runDirectory, "confusion.html"));
        var summary = new { task = data.Name, split = "test", training_seconds = seconds, steps = trainer.Step, freeze_body = options.FreezeBody, random_body = randomBody, lora = options.Lora, trainable_parameters = trainable, source, test = test.Summary() };
        File.WriteAllText(Path.Combine(runDirectory, "summary.json"), JsonSerializer.Serialize(summary, new JsonSerializerOptions { WriteIndented = true }));
        record.Finish(RunRecord.Completed, new Dictionary<string, double>
        {
            ["test_accuracy"] = test.Accuracy, ["test_macro_f1"] = test.MacroF1, ["test_micro_f1"] = test.MicroF1,
            ["best_val_accuracy"] = trainer.BestValidationAccuracy ?? 0, ["training_seconds"] = seconds, ["steps"] = trainer.Step, ["trainable_parameters"] = trainable,
        }).Save(runDirectory);
        Lines.Write($"Trained in {seconds:F1} s. Run folder {Markup.Escape(runDirectory)} (classifier.safetensors{(trainer.Adapters is null ? "" : $", {PeftAdapterFiles.WeightsFile}, {PeftAdapterFiles.ConfigFile}")}, metrics.jsonl, summary.json, confusion.html, confusion.svg).");
        return 0;
    }
}
