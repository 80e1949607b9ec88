using Course.Training;
using Spectre.Console;

namespace Course.Cli;

/// <summary>
/// Shows training as it happens: on a terminal a progress bar with loss, throughput and time left, and a line per
/// evaluation; when output is redirected (CI, logs) a plain line about every 5% of the run and per evaluation.
/// </summary>
public static class TrainingDisplay
{
    /// <summary>GPT pretraining: throughput in tokens, and each evaluation's losses with bits per token.</summary>
    public static void Run(Trainer trainer, CancellationToken cancellation)
    {
        trainer.Evaluated += e => Lines.Write(
            $"step {e.Step,6}: train loss {e.TrainLoss:F4}, val loss {e.ValidationLoss:F4} ({e.ValidationLoss / Math.Log(2):F3} bits/token){(e.Best ? " [green]best[/]" : "")}");
        Run(trainer, "tok", cancellation);
    }

    /// <summary>Any training loop; <paramref name="unit"/> names what its throughput counts ("tok", "img"). The caller
    /// shows its evaluations.</summary>
    public static void Run(ITrainingLoop trainer, string unit, CancellationToken cancellation)
    {
        var console = AnsiConsole.Console;
        var total = trainer.Options.MaxSteps;
        if (!console.Profile.Capabilities.Interactive)
        {
            var every = Math.Max(1, total / 20);
            var firstStep = trainer.Step; // after a resume, only the steps of this process are timed
            trainer.StepCompleted += m =>
            {
                if (m.Step % every != 0 && m.Step != total) return;
                var eta = TimeSpan.FromSeconds(m.ElapsedSeconds / (m.Step - firstStep) * (total - m.Step));
                var mfu = m.Mfu is double u ? $" | MFU {u:P1}" : "";
                // Plain Console: Spectre would wrap the line at its assumed width of 80 when output is redirected.
                Console.WriteLine($"step {m.Step,6}/{total} | loss {m.Loss:F4} | lr {m.LearningRate:E2} | grad norm {m.GradNorm:F2} | {m.TokensPerSecond:N0} {unit}/s{mfu} | ETA {eta:hh\\:mm\\:ss}");
            };
            trainer.Run(cancellation);
            return;
        }
        console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask("training", maxValue: total);
                task.Value = trainer.Step;
                trainer.StepCompleted += m =>
                {
                    task.Value = m.Step;
                    task.Description = $"step {m.Step}/{total} loss {m.Loss:F3} {m.TokensPerSecond / 1000:F1}k {unit}/s" + (m.Mfu is double u ? $" MFU {u:P0}" : "");
                };
                trainer.Run(cancellation);
            });
    }
}
