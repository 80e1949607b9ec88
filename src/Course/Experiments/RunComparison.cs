using Course.Training;

namespace Course.Experiments;

/// <summary>Runs read from their folders for comparison: records, validation-loss curves, and the best by a metric.</summary>
public sealed class RunComparison
{
    public IReadOnlyList<(string Directory, RunRecord Record)> Runs { get; }

    /// <summary>Reads the runs of <paramref name="directories"/> (a sweep folder stands for its trials). They must share
    /// one schema and kind: metrics of different kinds (pretraining loss vs. fine-tuning accuracy) do not compare.</summary>
    public RunComparison(IEnumerable<string> directories)
    {
        var expanded = directories.SelectMany(d => Sweep.IsSweep(d) ? Sweep.TrialDirectories(d) : [d]).ToList();
        if (expanded.Count == 0) throw new UserError("No runs to compare: give one or more run folders (or a sweep folder with trials).");
        Runs = expanded.Select(d => (d, RunRecord.Load(d))).ToList();
        var first = Runs[0];
        foreach (var run in Runs.Skip(1))
            if (run.Record.Schema != first.Record.Schema || Family(run.Record.Kind) != Family(first.Record.Kind))
                throw new UserError($"Runs {first.Directory} ({first.Record.Kind}, schema {first.Record.Schema}) and {run.Directory} ({run.Record.Kind}, schema {run.Record.Schema}) " +
                    "have different schemas and cannot be compared. Compare runs of one kind at a time.");
    }

    /// <summary>True when a larger value of the metric is worse: losses, errors and times.</summary>
    public static bool LowerIsBetter(string metric) => metric.Contains("loss") || metric.Contains("error") || metric.EndsWith("seconds");

    /// <summary>The run with the best value of <paramref name="metric"/> among those that completed.</summary>
    public (string Directory, RunRecord Record, double Value) Best(string metric)
    {
        var missing = Runs.Where(r => !r.Record.FinalMetrics.ContainsKey(metric)).ToList();
        if (missing.Count > 0)
        {
            var known = Runs.SelectMany(r => r.Record.FinalMetrics.Keys).Distinct().Order();
            throw new UserError($"Metric '{metric}' is not recorded for {string.Join(", ", missing.Select(m => m.Directory))}. Recorded metrics: {string.Join(", ", known.DefaultIfEmpty("none"))}.");
        }
        var completed = Runs.Where(r => r.Record.Status == RunRecord.Completed).ToList();
        if (completed.Count == 0) throw new UserError("None of these runs completed; there is no best run yet.");
        var ordered = LowerIsBetter(metric) ? completed.OrderBy(r => r.Record.FinalMetrics[metric]) : completed.OrderByDescending(r => r.Record.FinalMetrics[metric]);
        var best = ordered.First();
        return (best.Directory, best.Record, best.Record.FinalMetrics[metric]);
    }

    /// <summary>(step, validation loss) of every evaluation in a run's metrics.jsonl.</summary>
    public static IReadOnlyList<(int Step, double Loss)> ValidationCurve(string directory) =>
        File.Exists(Path.Combine(directory, MetricsLog.FileName))
            ? MetricsLog.Read(directory).Where(m => m.GetProperty("kind").GetString() == "eval")
                .Select(m => (m.GetProperty("step").GetInt32(), m.GetProperty("validation_loss").GetDouble())).ToList()
            : [];

    // A sweep trial is a pretraining run; fine-tuning runs are their own family.
    private static string Family(string kind) => kind == "sweep-trial" ? "pretrain" : kind;
}
