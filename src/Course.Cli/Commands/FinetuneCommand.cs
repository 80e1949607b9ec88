using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Course.Data;
using Course.Evaluation;
using Course.Experiments;
using Course.FineTuning;
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
        var resume = new Option<bool>("--resume") { Description = "Continue the interrupted run in --out exactly where it stopped, with the options it was started with." };
        // What a resumed run takes from its checkpoint; giving one of them with --resume is refused rather than ignored.
        Option[] fixedOnResume = [checkpoint, task, freeze, randomBody, steps, batchSize, accumulation, precision, lr, weights, pooling, seed];

        var command = new Command("finetune", "Fine-tune a pretrained GPT as a text classifier and score it on the task's test split.")
        {
            checkpoint, task, freeze, randomBody, steps, batchSize, accumulation, precision, lr, weights, pooling, seed, device, output, resume,
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
            }.Validate();
            var pretrained = parse.GetValue(checkpoint) ?? throw new UserError("Give the pretrained body with --checkpoint (e.g. runs/NAME/checkpoints/best), or continue a run with --out DIR --resume.");
            var taskName = parse.GetValue(task)!;
            using var folder = RunFolder.OpenNew(parse.GetValue(output) ?? Path.Combine("runs", $"finetune-{taskName}-{DateTime.Now:yyyyMMdd-HHmmss}"),
                "Add --resume to continue it, or choose another --out.");
            return Start(pretrained, taskName, options, parse.GetValue(randomBody), target, folder.Path);
        });
        return command;
    }

    private static int Start(string checkpoint, string taskName, FineTuneOptions options, bool randomBody, TorchSharp.torch.Device device, string runDirectory)
    {
        var data = ClassificationTasks.Load(taskName);
        var (pretrained, tokenizer, manifest) = Checkpoint.LoadModel(checkpoint, device);
        TorchSharp.torch.manual_seed(options.Training.Seed);
        var body = randomBody ? LanguageModel.Create(manifest.Config) : pretrained;
        if (randomBody) pretrained.Dispose();
        using var model = new GptClassifier(body, data.Labels.Count, options.Pooling);
        var classifier = new ClassifierCheckpoint.Manifest(data.Name, data.Labels, manifest.Config, options.Pooling, randomBody ? null : Path.GetFullPath(checkpoint), 0);
        Lines.Write($"body: {(randomBody ? "random initialisation" : Markup.Escape(checkpoint))} ({manifest.Config.NLayer}×{manifest.Config.NEmbd}, block {manifest.Config.BlockSize}), " +
                    $"{(options.FreezeBody ? "frozen (head only)" : "fine-tuned")}, pooling {options.Pooling}, class weights {options.ClassWeights}, precision {options.Training.Precision}");
        return Finetune(model, classifier, data, options, randomBody, tokenizer, device, runDirectory, resumeFrom: null);
    }

    private static int Resume(FineTuneCheckpoint.Loaded point, TorchSharp.torch.Device device, string runDirectory)
    {
        var saved = point.Manifest;
        var data = ClassificationTasks.Load(saved.Classifier.Task);
        using var model = new GptClassifier(LanguageModel.Create(saved.Classifier.Config), saved.Classifier.Labels.Count, saved.Classifier.Pooling);
        Checkpoint.LoadWeights(model, point.Weights.Tensors);
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

        var clock = Stopwatch.StartNew();
        trainer.Evaluated += e => Lines.Write($"step {e.Step,5}: train loss {e.TrainLoss:F4}, val loss {e.ValidationLoss:F4}, val accuracy {e.ValidationAccuracy:P1}, val macro F1 {e.ValidationMacroF1:F3}");
        var interrupted = Interruptible.Run(trainer.Run);
        var seconds = clock.Elapsed.TotalSeconds;

        ClassifierCheckpoint.Save(runDirectory, model, classifier with { Step = trainer.Step }, tokenizer);
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
        var summary = new { task = data.Name, split = "test", training_seconds = seconds, steps = trainer.Step, freeze_body = options.FreezeBody, random_body = randomBody, source = classifier.Source, test = test.Summary() };
        File.WriteAllText(Path.Combine(runDirectory, "summary.json"), JsonSerializer.Serialize(summary, new JsonSerializerOptions { WriteIndented = true }));
        record.Finish(RunRecord.Completed, new Dictionary<string, double>
        {
            ["test_accuracy"] = test.Accuracy, ["test_macro_f1"] = test.MacroF1, ["test_micro_f1"] = test.MicroF1,
            ["best_val_accuracy"] = trainer.BestValidationAccuracy ?? 0, ["training_seconds"] = seconds, ["steps"] = trainer.Step,
        }).Save(runDirectory);
        Lines.Write($"Trained in {seconds:F1} s. Run folder {Markup.Escape(runDirectory)} (classifier.safetensors, metrics.jsonl, summary.json, confusion.html, confusion.svg).");
        return 0;
    }
}
