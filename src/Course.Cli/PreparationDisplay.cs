using System.Diagnostics;
using Course.Data;
using Spectre.Console;

namespace Course.Cli;

/// <summary>
/// Shows shard preparation as it happens: on a terminal a progress bar with the encoding rate and time left; when
/// output is redirected a line per stage and about every 10% of the encoding, with rate and time left.
/// </summary>
public static class PreparationDisplay
{
    public static ShardManifest Run(Func<IProgress<PreparationProgress>, ShardManifest> prepare)
    {
        var console = AnsiConsole.Console;
        var clock = new Stopwatch();
        string Rate(PreparationProgress p) => $"{p.Characters / Math.Max(1e-9, clock.Elapsed.TotalSeconds) / 1e6:F2}M chars/s";
        if (!console.Profile.Capabilities.Interactive)
        {
            var lastTenth = -1L;
            return prepare(new SynchronousProgress(p =>
            {
                if (p.TotalCharacters == 0)
                {
                    Console.WriteLine(p.Stage);
                    return;
                }
                if (!clock.IsRunning) clock.Start();
                var tenth = 10 * p.Characters / p.TotalCharacters;
                if (tenth == lastTenth) return;
                lastTenth = tenth;
                var left = TimeSpan.FromSeconds(clock.Elapsed.TotalSeconds / p.Characters * (p.TotalCharacters - p.Characters));
                Console.WriteLine($"{p.Stage}: {p.Characters:N0}/{p.TotalCharacters:N0} characters ({100.0 * p.Characters / p.TotalCharacters:F0}%) at {Rate(p)}, {left:hh\\:mm\\:ss} left");
            }));
        }
        ShardManifest result = null!;
        console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask("preparing").IsIndeterminate();
                result = prepare(new SynchronousProgress(p =>
                {
                    if (p.TotalCharacters == 0)
                    {
                        task.Description = Markup.Escape(p.Stage);
                        return;
                    }
                    if (!clock.IsRunning) clock.Start();
                    task.IsIndeterminate = false;
                    task.MaxValue = p.TotalCharacters;
                    task.Value = p.Characters;
                    task.Description = $"{p.Stage} {Rate(p)}";
                }));
            });
        return result;
    }

    /// <summary>Reports on the calling thread, in order (<see cref="Progress{T}"/> would post to the thread pool).</summary>
    private sealed class SynchronousProgress(Action<PreparationProgress> report) : IProgress<PreparationProgress>
    {
        public void Report(PreparationProgress value) => report(value);
    }
}
