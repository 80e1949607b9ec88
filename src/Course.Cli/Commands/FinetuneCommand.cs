using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Course.Data;
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
        var checkpoint = new Option<string?>("--checkpoint") { Description = "Pretrained checkpoint folder, e.g. runs/NAME/checkpoints/best (not with --resume, which reads it from the run)." };
        var task = new Option<string>("--task") { Description = $"Classification task: {string.Join(", ", ClassificationTasks.Names)}.", DefaultValueFactory = _ => MemberKindTask.Name };
        var freeze = new Option<bool>("--freeze-body") { Description = "Train only the classification head; the pretrained body stays fixed." };
        var randomBody = new Option<bool>("--random-body") { Description = "Use the checkpoint's architecture and tokenizer but a freshly initialised body (a baseline for what pretraining adds)." };
        var defaults = new FineTuneOptions().Training;
        var steps = new Option<int>("--steps") { Description = "Optimizer steps.", DefaultValueFactory = _ => defaults.MaxSteps };
        var batchSize = new Option<int>("--batch-size") { Description = "Examples per micro-batch.", DefaultValueFactory = _ => defaults.BatchSize };
        var accumulation = new Option<int>("--grad-accum") { Description = "Micro-batches per optimizer step.", DefaultValueFactory = _ => defaults.GradientAccumulationSteps };
        var precision = new Option<string>("--precision") { Description = "fp32 (default), tf32 or bf16 (bf16 compute, fp32 master weights; for GPUs).", DefaultValueFactory = _ => "fp32" };
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
        var resume = new Option<bool>("--resume") { Description = "Continue the interrupted run in --out exactly where it stopped, with the options it was started with." };
        // What a resumed run takes from its checkpoint; giving one of them with --resume is refused rather than ignored.
        Option[] fixedOnResume = [checkpoint, task, freeze, randomBody, steps, batchSize, accumulation, precision, lr, weights, pooling, seed, loraRank, loraAlpha, loraDropout, loraTargets];

        var command = new Command("finetune", "Fine-tune a pretrained GPT as a text classifier and score it on the task's test split.")
        {
            checkpoint, task, freeze, randomBody, steps, batchSize, accumulation, precision, lr, weights, pooling, seed, device, output, loraRank, loraAlpha, loraDropout, loraTargets, resume,
        };
        command.SetAction(parse =>
        {
            var target = DeviceChoice.Resolve(parse.GetValue(device)!);
            if (parse.GetValue(resume))
            {
                if (fixedOnResume.FirstOrDefault(o => parse.GetResult(o) is { Implicit: false }) is { } given)
                    throw new UserError($"--resume continues with the options the run was started with; leave out {given.Name}, or start a new run with another --out.");
                var runPath = parse.GetValue(output) ?? throw new UserError("--resume needs the --out folder of the run to continue.");
                Folders.Require(runPath, "run", "Give the --out folder of the interrupted `course finetune` run.");
                using var existing = RunFolder.Open(runPath);
                if (RunRecord.IsCompleted(existing.Path))
                    throw new UserError($"{existing.Path} holds a completed run: there is nothing to resume. Start a new run with another --out for more steps.");
                using var point = FineTuneCheckpoint.Load(existing.Path)
                    ?? throw new UserError($"{existing.Path} has no fine-tuning checkpoint to resume ({FineTuneCheckpoint.Latest} is missing). Start a new run with another --out.");
                return Resume(point, target, existing.Path);
            }
            var rate = parse.GetValue(lr);
            var options = new FineTuneOptions
            {
                Training = defaults with
                {
                    MaxSteps = parse.GetValue(steps), BatchSize = parse.GetValue(batchSize), GradientAccumulationSteps = parse.GetValue(accumulation),
                    Precision = PrecisionExtensions.Parse(parse.GetValue(precision)!), LearningRate = rate, MinLearningRate = rate / 10, Seed = parse.GetValue(seed),
                },
                FreezeBody = parse.GetValue(freeze), ClassWeights = parse.GetValue(weights)!, Pooling = parse.GetValue(pooling),
                Lora = LoraOptions(parse, loraRank, loraAlpha, loraDropout, loraTargets),
            }.Validate();
            if (options.Lora is not null && parse.GetValue(randomBody))
                throw new UserError("LoRA adapts a pretrained body, which --random-body replaces: give one of --lora-rank and --random-body.");
            var pretrained = parse.GetValue(checkpoint) ?? throw new UserError("Give the pretrained body with --checkpoint (e.g. runs/NAME/checkpoints/best), or continue a run with --out DIR --resume.");
            var taskName = parse.GetValue(task)!;
            using var folder = RunFolder.OpenNew(parse.GetValue(output) ?? Path.Combine("runs", $"finetune-{taskName}-{DateTime.Now:yyyyMMdd-HHmmss}"),
                "Add --resume to continue it, or choose another --out.");
            return Start(pretrained, taskName, options, parse.GetValue(randomBody), target, folder.Path);
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

    private static int Start(string checkpoint, string taskName, FineTuneOptions options, bool randomBody, TorchSharp.torch.Device device, string runDirectory)
    {
        var data = ClassificationTasks.Load(taskName);
        var (pretrained, tokenizer, manifest) = Checkpoint.LoadModel(checkpoint, device);
        TorchSharp.torch.manual_seed(options.Training.Seed);
        var body = randomBody ? LanguageModel.Create(manifest.Config) : pretrained;
        if (randomBody) pretrained.Dispose();
        using var model = new GptClassifier(body, data.Labels.Count, options.Pooling);
        var classifier = new ClassifierCheckpoint.Manifest(data.Name, data.Labels, manifest.Config, options.Pooling, randomBody ? null : Path.GetFullPath(checkpoint), 0,
            SourceSha256: randomBody ? null : manifest.Files[Checkpoint.ModelFile].Sha256);
        var training = options.FreezeBody ? "frozen (head only)"
            : options.Lora is { } l ? $"frozen with LoRA adapters (r {l.Rank}, alpha {l.Alpha}, dropout {l.Dropout}, targets {string.Join(",", l.Targets)})" : "fine-tuned";
        Lines.Write($"body: {(randomBody ? "random initialisation" : Markup.Escape(checkpoint))} ({manifest.Config.NLayer}×{manifest.Config.NEmbd}, block {manifest.Config.BlockSize}), " +
                    $"{training}, pooling {options.Pooling}, class weights {options.ClassWeights}, precision {options.Training.Precision}");
        return Finetune(model, classifier, data, options, randomBody, tokenizer, device, runDirectory, resumeFrom: null);
    }

    private static int Resume(FineTuneCheckpoint.Loaded point, TorchSharp.torch.Device device, string runDirectory)
    {
        var saved = point.Manifest;
        var data = ClassificationTasks.Load(saved.Classifier.Task);
        using var model = new GptClassifier(LanguageModel.Create(saved.Classifier.Config), saved.Classifier.Labels.Count, saved.Classifier.Pooling);
        Checkpoint.LoadWeights(model, point.ClassifierWeights);
        return Finetune(model, saved.Classifier, data, saved.Options, saved.RandomBody, point.Tokenizer, device, runDirectory, point);
    }

    private static int Finetune(GptClassifier model, ClassifierCheckpoint.Manifest classifier, ClassificationTask data, FineTuneOptions options, bool randomBody,
        ITokenizer tokenizer, TorchSharp.torch.Device device, string runDirectory, FineTuneCheckpoint.Loaded? resumeFrom)
    {
        var counts = string.Join(", ", data.Labels.Select((l, i) => $"{l} {ClassificationTask.ClassCounts(data.Train, data.Labels.Count)[i]:N0}"));
        Lines.Write($"[bold]course finetune[/]: task [green]{data.Name}[/] (train {data.Train.Count:N0}, validation {data.Validation.Count:N0}, test {data.Test.Count:N0}; train classes: {counts})");
        var record = RunRecord.Start("finetune", classifier.Config, options, data.Name);
        var encoder = new SequenceEncoder(tokenizer, classifier.Config.BlockSize);
        using var trainer = new ClassifierTrainer(model, encoder, data, options, device, runDirectory);
        if (resumeFrom is not null)
        {
            trainer.Resume(resumeFrom);
            record = record with { Created = RunRecord.Load(runDirectory).Created };
            Lines.Write($"Resumed at step {trainer.Step} of {options.Training.MaxSteps}.");
        }
        record.Save(runDirectory);
        var (trainable, total) = trainer.ParameterCounts;
        // fp32: each trained number has its value, its gradient and AdamW's m and v, 4 bytes each.
        Lines.Write($"trainable parameters {trainable:N0} of {total:N0} ({(double)trainable / total:P2}); their values, gradients and AdamW moments take {4 * 4 * trainable / 1e6:F2} MB");

        var clock = Stopwatch.StartNew();
        trainer.Evaluated += e => Lines.Write($"step {e.Step,5}: train loss {e.TrainLoss:F4}, val loss {e.ValidationLoss:F4}, val accuracy {e.ValidationAccuracy:P1}, val macro F1 {e.ValidationMacroF1:F3}");
        var interrupted = Interruptible.Run(trainer.Run);
        var seconds = clock.Elapsed.TotalSeconds;

        ClassifierCheckpoint.Save(runDirectory, model, classifier with { Step = trainer.Step }, tokenizer, trainer.Adapters);
        if (interrupted)
        {
            FineTuneCheckpoint.Save(runDirectory, trainer, classifier, randomBody, tokenizer);
            record.Finish(RunRecord.Interrupted, new Dictionary<string, double> { ["steps"] = trainer.Step, ["training_seconds"] = seconds }).Save(runDirectory);
            Lines.Write($"[yellow]Interrupted at step {trainer.Step}.[/] The classifier trained so far is saved in {Markup.Escape(runDirectory)}: score it with " +
                $"`course evaluate-classifier --checkpoint {Markup.Escape(runDirectory)}`, or continue with --out {Markup.Escape(runDirectory)} --resume.");
            return UserErrors.ExitInterrupted;
        }
        var test = trainer.Score(data.Test);
        ClassifierReport.Print(test, $"test split ({data.Test.Count:N0} examples)");
        ChartFiles.Save(Charts.ConfusionMatrix(test.Counts, data.Labels, $"{data.Name}: test confusion matrix"), Path.Combine(runDirectory, "confusion.html"));
        var summary = new { task = data.Name, split = "test", training_seconds = seconds, steps = trainer.Step, freeze_body = options.FreezeBody, random_body = randomBody, lora = options.Lora,
            trainable_parameters = trainable, source = classifier.Source, test = test.Summary() };
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
