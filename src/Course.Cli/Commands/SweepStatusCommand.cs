using System.CommandLine;
using System.Globalization;
using Course.Experiments;
using Course.Experiments.Slurm;
using Spectre.Console;

namespace Course.Cli.Commands;

/// <summary>`course sweep status DIR`: every trial's state (from run.json, and from Slurm for the trials a job took), with
/// the failed ones' logs and exit codes.</summary>
internal static class SweepStatusCommand
{
    public static Command Create()
    {
        var folder = new Argument<string>("sweep") { Description = "The sweep folder (the --out of `course sweep`)." };
        var command = new Command("status", "Where each trial of a sweep stands: not started, queued, running, completed or failed.") { folder };
        command.SetAction(parse =>
        {
            var sweep = SweepStatus.Open(parse.GetValue(folder)!);
            var statuses = SweepStatus.Read(sweep, new SlurmClient());
            var table = new Table().AddColumns("trial", "values", "state", "job", "best_val_loss", "why / log");
            foreach (var trial in statuses)
            {
                var loss = trial.State == TrialState.Completed && RunRecord.Load(sweep.TrialDirectory(trial.Index)).FinalMetrics.TryGetValue("best_val_loss", out var value)
                    ? value.ToString("F4", CultureInfo.InvariantCulture) : "";
                var why = trial.State switch
                {
                    TrialState.Failed => SlurmSweepRun.Failure(trial),
                    TrialState.Queued or TrialState.Running => trial.Reason ?? trial.Log ?? "",
                    _ => "",
                };
                table.AddRow(trial.Index.ToString(CultureInfo.InvariantCulture), Markup.Escape(trial.Describe()), Colored(trial.State), trial.JobId ?? "-", loss, Markup.Escape(why));
            }
            AnsiConsole.Console.Write(table);
            var counts = string.Join(" · ", Enum.GetValues<TrialState>().Select(s => (s, n: statuses.Count(t => t.State == s))).Where(c => c.n > 0).Select(c => $"{Name(c.s)} {c.n}"));
            Lines.Write($"{Markup.Escape(sweep.Directory)}: {counts} of {statuses.Count} trial(s).");
            return 0;
        });
        return command;
    }

    private static string Name(TrialState state) => state == TrialState.NotStarted ? "not started" : state.ToString().ToLowerInvariant();

    private static string Colored(TrialState state) => state switch
    {
        TrialState.Completed => $"[green]{Name(state)}[/]",
        TrialState.Failed => $"[red]{Name(state)}[/]",
        _ => Name(state),
    };
}
