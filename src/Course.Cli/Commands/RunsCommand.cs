using System.CommandLine;
using System.Globalization;
using Course.Experiments;
using Course.Visualization;
using Spectre.Console;

namespace Course.Cli.Commands;

/// <summary>`course runs compare|best`: read run folders through their run.json.</summary>
public static class RunsCommand
{
    public static Command Create()
    {
        var runs = new Argument<string[]>("runs") { Description = "Run folders (a sweep folder stands for all its trials).", Arity = ArgumentArity.OneOrMore };
        var chart = new Option<string>("--chart") { Description = "Where to write the validation-loss chart (an .svg of it goes beside).", DefaultValueFactory = _ => "runs-compare.html" };
        var compare = new Command("compare", "A table of the runs' settings and final metrics, and a chart of their validation loss.") { runs, chart };
        compare.SetAction(parse =>
        {
            var comparison = new RunComparison(parse.GetValue(runs)!);
            PrintTable(comparison);
            var path = ChartFiles.Save(Charts.CompareValidationLoss(comparison.Runs.Select(r => (Path.GetFileName(r.Directory.TrimEnd('/')), RunComparison.ValidationCurve(r.Directory)))),
                parse.GetValue(chart)!);
            Lines.Write($"Validation-loss chart: {Markup.Escape(Path.GetFullPath(path))} (and {Markup.Escape(Path.GetFileName(Path.ChangeExtension(path, ".svg")))})");
            return 0;
        });

        var bestRuns = new Argument<string[]>("runs") { Description = "Run folders (a sweep folder stands for all its trials).", Arity = ArgumentArity.OneOrMore };
        var metric = new Option<string>("--metric") { Description = "A final metric of run.json; losses, errors and times are minimised, others maximised.", DefaultValueFactory = _ => "best_val_loss" };
        var best = new Command("best", "The completed run with the best value of a metric.") { bestRuns, metric };
        best.SetAction(parse =>
        {
            var name = parse.GetValue(metric)!;
            var (directory, record, value) = new RunComparison(parse.GetValue(bestRuns)!).Best(name);
            Lines.Write($"best by {Markup.Escape(name)} ({(RunComparison.LowerIsBetter(name) ? "lowest" : "highest")}): [green]{Markup.Escape(directory)}[/] = {value.ToString("G6", CultureInfo.InvariantCulture)}");
            Lines.Write($"config {Markup.Escape(record.Config?.ToJsonString() ?? "-")}");
            return 0;
        });
        return new Command("runs", "Compare and rank training runs by their run.json.") { compare, best };
    }

    /// <summary>One row per run: name, kind, status, model size, learning rate and every final metric any run recorded.</summary>
    public static void PrintTable(RunComparison comparison)
    {
        var metricNames = comparison.Runs.SelectMany(r => r.Record.FinalMetrics.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        var table = new Table().AddColumns(["run", "kind", "status", "n_layer×n_embd", "lr", .. metricNames]);
        foreach (var (directory, record) in comparison.Runs)
        {
            var size = record.Config is { } c ? $"{c["n_layer"]}×{c["n_embd"]}" : "-";
            var lr = record.Options?["learning_rate"] ?? record.Options?["training"]?["learning_rate"];
            table.AddRow([Markup.Escape(Path.GetFileName(directory.TrimEnd('/'))), record.Kind, record.Status, size,
                lr?.GetValue<double>().ToString("G4", CultureInfo.InvariantCulture) ?? "-",
                .. metricNames.Select(m => record.FinalMetrics.TryGetValue(m, out var v) ? v.ToString("G5", CultureInfo.InvariantCulture) : "-")]);
        }
        AnsiConsole.Console.Write(table);
    }
}
