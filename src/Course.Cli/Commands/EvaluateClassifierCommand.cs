using System.CommandLine;
using Course.Evaluation;
using Course.FineTuning;
using Spectre.Console;

namespace Course.Cli.Commands;

/// <summary>`course evaluate-classifier`: score a fine-tuned classifier on a split of its task.</summary>
public static class EvaluateClassifierCommand
{
    public static Command Create()
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "The run folder of a `course finetune` run.", Required = true };
        var split = new Option<string>("--split") { Description = "train, validation or test.", DefaultValueFactory = _ => ClassificationTask.TestSplit };
        split.AcceptOnlyFromAmong(ClassificationTask.TrainSplit, ClassificationTask.ValidationSplit, ClassificationTask.TestSplit);
        var device = new Option<string>("--device") { Description = "auto, cpu or cuda.", DefaultValueFactory = _ => "auto" };
        device.AcceptOnlyFromAmong(DeviceChoice.Values);
        var command = new Command("evaluate-classifier", "Accuracy, per-class precision/recall/F1 and the confusion matrix of a fine-tuned classifier.") { checkpoint, split, device };
        command.SetAction(parse =>
        {
            var target = DeviceChoice.Resolve(parse.GetValue(device)!);
            var (model, tokenizer, manifest) = ClassifierCheckpoint.Load(parse.GetValue(checkpoint)!, target);
            using (model)
            {
                var task = ClassificationTasks.Load(manifest.Task);
                if (!task.Labels.SequenceEqual(manifest.Labels))
                    throw new UserError($"The classifier was trained with labels {string.Join(", ", manifest.Labels)}, but task '{task.Name}' now has {string.Join(", ", task.Labels)}.");
                var examples = task.Split(parse.GetValue(split)!);
                var (_, predictions) = ClassifierTrainer.Predict(model, new SequenceEncoder(tokenizer, manifest.Config.BlockSize), examples, target);
                var metrics = new ClassificationMetrics(examples.Select(e => e.Label).ToArray(), predictions, task.Labels);
                ClassifierReport.Print(metrics, $"{task.Name}, {parse.GetValue(split)} split ({examples.Count:N0} examples)");
            }
            return 0;
        });
        return command;
    }
}
