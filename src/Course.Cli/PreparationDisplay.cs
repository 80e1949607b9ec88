using System.Diagnostics;
using Course.Data;
using Spectre.Console;

namespace Course.Cli;

/// <summary>
/// Shows shard preparation as it happens: on a terminal a progress bar with the encoding rate and time left; when
/// output is redirected a line per stage and about every 10% of the encoding, with rate and time left. Ends with
/// what was written and how fast it was encoded.
/// </summary>
public static class PreparationDisplay
{
    public static ShardManifest Run(string directory, Func<IProgress<PreparationProgress>, ShardManifest> prepare)
    {
        var console = AnsiConsole.Console;
        var total = Stopwatch.StartNew();
        var encoding = new Stopwatch();
        string Rate(PreparationProgress p) => $"{p.Characters / Math.Max(1e-9, encoding.Elapsed.TotalSeconds) / 1e6:F2}M chars/s";
        // A report without a total names a stage (building the tokenizer); one with a total counts encoded characters,
        // and the first of those starts the encoding clock.
        IProgress<PreparationProgress> Reporter(Action<string> stage, Action<PreparationProgress> encoded) => new SynchronousProgress(p =>
        {
            if (p.TotalCharacters == 0)
            {
                stage(p.Stage);
                return;
            }
            encoding.Start();
            encoded(p);
        });
        ShardManifest manifest;
        if (console.Profile.Capabilities.Interactive)
        {
            manifest = null!;
            console.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .Start(context =>
                {
                    var task = context.AddTask("preparing").IsIndeterminate();
                    manifest = prepare(Reporter(stage => task.Description = Markup.Escape(stage), p =>
                    {
                        task.IsIndeterminate = false;
                        task.MaxValue = p.TotalCharacters;
                        task.Value = p.Characters;
                        task.Description = $"{p.Stage} {Rate(p)}";
                    }));
                });
        }
        else
        {
            var lastTenth = 0L;
            manifest = prepare(Reporter(Console.WriteLine, p =>
            {
                var tenth = 10 * p.Characters / p.TotalCharacters;
                if (tenth == lastTenth) return;
                lastTenth = tenth;
                var left = TimeSpan.FromSeconds(encoding.Elapsed.TotalSeconds / p.Characters * (p.TotalCharacters - p.Characters));
                Console.WriteLine($"{p.Stage}: {p.Characters:N0}/{p.TotalCharacters:N0} characters ({100.0 * p.Characters / p.TotalCharacters:F0}%) at {Rate(p)}, {left:hh\\:mm\\:ss} left");
            }));
        }
        var tokens = manifest.TrainTokens + manifest.ValTokens;
        // Plain Console: Spectre would wrap a long line at its assumed width when output is redirected.
        Console.WriteLine($"{manifest.TrainTokens:N0} training and {manifest.ValTokens:N0} validation tokens (vocabulary {manifest.VocabSize:N0}, " +
            $"{manifest.Characters / (double)tokens:F2} characters per token) in {directory}");
        Console.WriteLine($"Encoded at {tokens / encoding.Elapsed.TotalSeconds:N0} tokens/s ({encoding.Elapsed.TotalSeconds:F1} s); {total.Elapsed.TotalSeconds:F1} s in all, building the tokenizer included.");
        return manifest;
    }

    /// <summary>Reports on the calling thread, in order (<see cref="Progress{T}"/> would post to the thread pool).</summary>
    private sealed class SynchronousProgress(Action<PreparationProgress> report) : IProgress<PreparationProgress>
    {
        public void Report(PreparationProgress value) => report(value);
    }
}
