using Course.Experiments;
using Course.Models;
using Course.Tests.Data;
using Course.Training;

namespace Course.Tests.Experiments;

public class RunComparisonTests
{
    private static string Run(TempDirectory root, string name, string kind, Dictionary<string, double> metrics, int schema = RunRecord.CurrentSchema)
    {
        var directory = Path.Combine(root.Path, name);
        Directory.CreateDirectory(directory);
        (RunRecord.Start(kind, Course.Preset.Named("tiny").Model, new TrainingOptions(), "dotnet-docs") with { Schema = schema })
            .Finish(RunRecord.Completed, metrics).Save(directory);
        return directory;
    }

    [Fact]
    public void Best_minimises_losses_and_maximises_accuracies()
    {
        using var root = new TempDirectory();
        var a = Run(root, "a", "pretrain", new() { ["best_val_loss"] = 2.0, ["accuracy"] = 0.5 });
        var b = Run(root, "b", "sweep-trial", new() { ["best_val_loss"] = 1.5, ["accuracy"] = 0.4 });
        var runs = new RunComparison([a, b]);
        Assert.Equal(b, runs.Best("best_val_loss").Directory);
        Assert.Equal(a, runs.Best("accuracy").Directory);
        var e = Assert.Throws<UserError>(() => runs.Best("f1"));
        Assert.Contains("Recorded metrics: accuracy, best_val_loss", e.Message);
    }

    [Fact]
    public void Runs_of_different_schemas_or_kinds_are_not_compared()
    {
        using var root = new TempDirectory();
        var pretrain = Run(root, "p", "pretrain", new() { ["best_val_loss"] = 2.0 });
        var finetune = Run(root, "f", "finetune", new() { ["test_accuracy"] = 0.8 });
        var future = Run(root, "x", "pretrain", new() { ["best_val_loss"] = 2.0 }, schema: 2);
        Assert.Contains("different schemas", Assert.Throws<UserError>(() => new RunComparison([pretrain, finetune])).Message);
        Assert.Contains("schema 2", Assert.Throws<UserError>(() => new RunComparison([pretrain, future])).Message);
        Assert.Contains("has no run.json", Assert.Throws<UserError>(() => new RunComparison([root.Path])).Message);
    }
}
