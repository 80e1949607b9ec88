using System.Text.Json;
using Course.Experiments.Slurm;

namespace Course.Experiments;

public enum TrialState { NotStarted, Queued, Running, Completed, Failed }

/// <summary>Where one trial of a sweep stands.</summary>
/// <param name="JobId">The Slurm job array whose task runs (or ran) the trial; null for a local sweep.</param>
/// <param name="ExitCode">Slurm's "code:signal" for a task that ended; null while unknown.</param>
/// <param name="Reason">Why it waits or how it ended, in Slurm's words (Resources, JobArrayTaskLimit, TIMEOUT, ...).</param>
/// <param name="Log">The task's Slurm output file.</param>
public sealed record TrialStatus(int Index, IReadOnlyDictionary<string, double> Values, TrialState State, string? JobId = null, string? ExitCode = null,
    string? Reason = null, string? Log = null)
{
    public string Describe() => Hyperparameters.Describe(Values);

    /// <summary>"exit code 1", "signal 9" or "exit code unknown", from Slurm's "code:signal".</summary>
    public string Ending() => ExitCode?.Split(':') switch
    {
        [var code, "0"] => $"exit code {code}",
        [_, var signal] => $"signal {signal}",
        _ => "exit code unknown",
    };
}

/// <summary>
/// The state of every trial of a sweep folder: completed when its run.json says so; otherwise from the Slurm job
/// that last took it (SWEEP/slurm/jobs.json and scontrol); otherwise not started. A local sweep needs no Slurm.
/// </summary>
public static class SweepStatus
{
    private static readonly HashSet<string> Waiting = ["PENDING", "REQUEUED", "REQUEUE_HOLD", "REQUEUE_FED", "SUSPENDED", "RESV_DEL_HOLD"];
    private static readonly HashSet<string> Active = ["RUNNING", "CONFIGURING", "COMPLETING", "STAGE_OUT", "SIGNALING", "RESIZING"];

    /// <summary>The sweep recorded in <paramref name="directory"/>/sweep.json.</summary>
    public static Sweep Open(string directory)
    {
        var path = Path.Combine(directory, Sweep.SpecFile);
        if (!File.Exists(path)) throw new UserError($"{directory} is not a sweep folder (it has no {Sweep.SpecFile}). Give the --out folder of a `course sweep`.");
        try { return new Sweep(directory, JsonSerializer.Deserialize<SweepSpec>(File.ReadAllText(path)) ?? throw new JsonException("empty")); }
        catch (JsonException e) { throw new UserError($"{path} is damaged ({e.Message}); the sweep cannot be read."); }
    }

    public static IReadOnlyList<TrialStatus> Read(Sweep sweep, SlurmClient? slurm)
    {
        var plan = sweep.TrialValues();
        var submissions = SlurmSubmissions.Load(sweep.Directory);
        var tasks = new Dictionary<string, IReadOnlyList<SlurmTask>>();
        var statuses = new List<TrialStatus>();
        for (int i = 0; i < plan.Count; i++)
        {
            var trial = sweep.TrialDirectory(i);
            var job = submissions.LastOrDefault(s => s.Trials.Contains(i))?.JobId;
            if (RunRecord.IsCompleted(trial)) statuses.Add(new(i, plan[i], TrialState.Completed, job));
            else if (job is null) statuses.Add(Local(i, plan[i], trial));
            else
            {
                if (!tasks.TryGetValue(job, out var known))
                    tasks[job] = known = (slurm ?? throw new InvalidOperationException("A Slurm sweep's status needs a SlurmClient.")).Tasks(job);
                statuses.Add(FromSlurm(i, plan[i], job, known.FirstOrDefault(t => t.Trials.Contains(i)), BatchScript.LogPath(sweep.Directory, job, i)));
            }
        }
        return statuses;
    }

    /// <summary>True when some trial is still queued or running.</summary>
    public static bool InProgress(IEnumerable<TrialStatus> statuses) => statuses.Any(s => s.State is TrialState.Queued or TrialState.Running);

    // A trial no job took: not started, or started by a local sweep (its run.json says how far it got).
    private static TrialStatus Local(int index, IReadOnlyDictionary<string, double> values, string trial)
    {
        if (!File.Exists(Path.Combine(trial, RunRecord.FileName))) return new(index, values, TrialState.NotStarted);
        var status = RunRecord.Load(trial).Status;
        return status == RunRecord.Running
            ? new(index, values, TrialState.Running, Reason: "run.json says running: a local sweep is at it, or was killed (then run it again)")
            : new(index, values, TrialState.Failed, Reason: $"run.json says {status}");
    }

    private static TrialStatus FromSlurm(int index, IReadOnlyDictionary<string, double> values, string job, SlurmTask? task, string log)
    {
        if (task is null) return new(index, values, TrialState.Failed, job, Reason: $"ended without completing; Slurm no longer reports job {job}", Log: log);
        if (Waiting.Contains(task.State)) return new(index, values, TrialState.Queued, job, Reason: task.Reason, Log: log);
        if (Active.Contains(task.State)) return new(index, values, TrialState.Running, job, Log: log);
        var reason = task.State == "COMPLETED" ? "the task ended without completing the trial" : task.Reason is "None" or "" ? task.State : $"{task.State}, {task.Reason}";
        return new(index, values, TrialState.Failed, job, task.ExitCode, reason, log);
    }
}
