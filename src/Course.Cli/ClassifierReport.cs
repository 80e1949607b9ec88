using Course.Evaluation;
using Spectre.Console;

namespace Course.Cli;

/// <summary>Prints classification scores: accuracy, per-class precision / recall / F1, the averages, and the confusion matrix.</summary>
public static class ClassifierReport
{
    public static void Print(ClassificationMetrics metrics, string title)
    {
        var console = AnsiConsole.Console;
        var table = new Table().Title(Markup.Escape(title)).AddColumns("class", "precision", "recall", "F1", "support");
        foreach (var c in metrics.PerClass) table.AddRow(Markup.Escape(c.Label), $"{c.Precision:F3}", $"{c.Recall:F3}", $"{c.F1:F3}", $"{c.Support:N0}");
        table.AddRow("[bold]macro avg[/]", $"{metrics.MacroPrecision:F3}", $"{metrics.MacroRecall:F3}", $"{metrics.MacroF1:F3}", $"{metrics.Total:N0}");
        table.AddRow("[bold]micro avg[/]", $"{metrics.MicroPrecision:F3}", $"{metrics.MicroRecall:F3}", $"{metrics.MicroF1:F3}", $"{metrics.Total:N0}");
        console.Write(table);
        Lines.Write($"accuracy [bold]{metrics.Accuracy:P2}[/] ({metrics.Total:N0} examples)");
        // Plain Console: the table is fixed-width text that Spectre markup would not improve.
        Console.Write(metrics.ConfusionTable());
    }
}
