using System.Diagnostics;
using System.Reflection;
using Course.Experiments;
using Course.Experiments.Slurm;
using Spectre.Console;

namespace Course.Cli.Commands;

/// <summary>
/// `course sweep --executor slurm`: submits the trials left as one job array, then (unless --detach) watches them
/// with a line per change: counts, an ETA, each trial that completes or fails. Ctrl+C leaves the jobs to Slurm,
/// after offering to cancel them (or cancelling them with --cancel-on-exit).
/// </summary>
internal static class SlurmSweepRun
{
    /// <summary>How often the controller asks scontrol; a few calls a minute are nothing for slurmctld.</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    public static int Run(Sweep sweep, SlurmOptions options, string device, bool detach, bool cancelOnExit)
    {
        var slurm = new SlurmClient();
        var executor = new SlurmSweep(sweep, slurm);
        var submission = executor.Submit(options, CourseCommand(), device);
        var directory = Markup.Escape(sweep.Directory);
        if (submission is null) Lines.Write("Nothing to submit: every trial has completed or is queued or running in a job this sweep recorded.");
        else Lines.Write($"Submitted job array [bold]{submission.JobId}[/] ({submission.Trials.Count} trial(s): {TaskRanges.Format(submission.Trials)}); " +
                         $"batch script {Markup.Escape(Path.Combine(sweep.Directory, BatchScript.FileName))}");
        if (detach)
        {
            Lines.Write($"Detached. Follow it with: course sweep status {directory}");
            return 0;
        }

        var progress = new Progress(sweep);
        IReadOnlyList<TrialStatus> final = [];
        var interrupted = Interruptible.Run(cancellation =>
            final = executor.Watch(PollInterval, progress.Update, warning => Lines.Write($"[yellow]{Markup.Escape(warning)}[/]"), cancellation));
        if (interrupted) return Interrupt(slurm, executor.Status(), sweep.Directory, cancelOnExit);

        var failed = final.Count(t => t.State == TrialState.Failed);
        if (final.Any(t => t.State == TrialState.Completed)) RunsCommand.PrintTable(new RunComparison([sweep.Directory]));
        if (failed == 0)
        {
            Lines.Write($"All {final.Count} trials completed. Compare them with: course runs compare {directory}");
            return 0;
        }
        Console.Error.WriteLine($"error: {failed} of {final.Count} trials failed (their logs are named above); run the same command again to retry them, the completed ones are kept.");
        return UserErrors.ExitUserError;
    }

    /// <summary>Ctrl+C: the trials are Slurm's now. Cancel them when asked to, else leave them and say how to follow or cancel them.</summary>
    private static int Interrupt(SlurmClient slurm, IReadOnlyList<TrialStatus> statuses, string directory, bool cancelOnExit)
    {
        var active = statuses.Where(t => t.State is TrialState.Queued or TrialState.Running).ToList();
        var jobs = active.Select(t => t.JobId!).Distinct().ToList();
        if (jobs.Count > 0)
        {
            var cancel = cancelOnExit || (!Console.IsInputRedirected && !Console.IsOutputRedirected &&
                AnsiConsole.Confirm($"Cancel the {active.Count} queued or running trial(s) with scancel {string.Join(' ', jobs)}?", defaultValue: false));
            if (cancel)
            {
                foreach (var job in jobs) slurm.Cancel(job);
                Lines.Write($"Cancelled job(s) {string.Join(", ", jobs)}. Run the same command again to submit the trials left.");
            }
            else Lines.Write($"The trials go on in Slurm. Follow them with: course sweep status {Markup.Escape(directory)}; cancel them with: scancel {string.Join(' ', jobs)}");
        }
        return UserErrors.ExitInterrupted;
    }

    /// <summary>How a node starts this same `course`: the dotnet host and this assembly, or the app host alone.</summary>
    private static IReadOnlyList<string> CourseCommand()
    {
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("The path of this process is unknown.");
        var entry = Assembly.GetEntryAssembly()!.Location;
        return Path.GetFileNameWithoutExtension(host) == "dotnet" ? [host, entry] : [host];
    }

    /// <summary>Prints what changed since the last reading: a trial that completed or failed, and the counts with an ETA.</summary>
    private sealed class Progress(Sweep sweep)
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private Dictionary<int, TrialState>? _previous;
        private int _finishedAtStart;
        private string _lastCounts = "";

        public void Update(IReadOnlyList<TrialStatus> statuses)
        {
            int Count(TrialState state) => statuses.Count(t => t.State == state);
            var finished = Count(TrialState.Completed) + Count(TrialState.Failed);
            if (_previous is null) _finishedAtStart = finished;
            foreach (var trial in statuses.Where(t => _previous is not null && _previous[t.Index] != t.State))
            {
                if (trial.State == TrialState.Completed) Lines.Write($"trial {trial.Index} ({Markup.Escape(trial.Describe())}) [green]completed[/]{Loss(trial.Index)}");
                if (trial.State == TrialState.Failed) Lines.Write($"[red]trial {trial.Index} ({Markup.Escape(trial.Describe())}) failed[/]: {Markup.Escape(Failure(trial))}");
            }
            _previous = statuses.ToDictionary(t => t.Index, t => t.State);

            var counts = $"queued {Count(TrialState.Queued)} · running {Count(TrialState.Running)} · completed {Count(TrialState.Completed)} · failed {Count(TrialState.Failed)} of {statuses.Count}";
            if (counts == _lastCounts) return;
            _lastCounts = counts;
            Lines.Write($"[grey]{DateTime.Now:HH:mm:ss}[/] {counts}{Eta(statuses.Count - finished, finished - _finishedAtStart)}");
        }

        // The rate at which trials have finished since the controller began watching, applied to those left.
        private string Eta(int left, int finishedWhileWatching)
        {
            if (left == 0) return "";
            if (finishedWhileWatching == 0) return " · ETA after the first trial ends";
            var eta = TimeSpan.FromSeconds(_clock.Elapsed.TotalSeconds / finishedWhileWatching * left);
            return $" · ETA {eta:hh\\:mm\\:ss}";
        }

        private string Loss(int index)
        {
            var metrics = RunRecord.Load(sweep.TrialDirectory(index)).FinalMetrics;
            return metrics.TryGetValue("best_val_loss", out var loss) ? $": best_val_loss {loss:F4}" : "";
        }
    }

    /// <summary>"FAILED, NonZeroExitCode, exit code 1; log …/slurm-12_3.out: error: …" (the log's last line says why, most of the time).</summary>
    public static string Failure(TrialStatus trial)
    {
        var lastLine = trial.Log is not null && File.Exists(trial.Log)
            ? File.ReadLines(trial.Log).LastOrDefault(l => !string.IsNullOrWhiteSpace(l))?.Trim() : null;
        return $"{trial.Reason}, {trial.Ending()}; log {trial.Log}" + (lastLine is null ? "" : $": {lastLine}");
    }
}
