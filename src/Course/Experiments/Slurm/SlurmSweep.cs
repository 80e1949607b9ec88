namespace Course.Experiments.Slurm;

/// <summary>
/// Runs a sweep's trials as tasks of Slurm job arrays instead of in this process. Submitting hands over the trials
/// that are neither completed nor already queued or running in a recorded job, so rerunning a sweep (after a crash
/// of the controller, a failed trial or a cancelled job) submits exactly what is left. Watching polls scontrol.
/// </summary>
public sealed class SlurmSweep(Sweep sweep, SlurmClient slurm)
{
    public Sweep Sweep { get; } = sweep;

    public IReadOnlyList<TrialStatus> Status() => SweepStatus.Read(Sweep, slurm);

    /// <summary>Writes SWEEP/sweep.sbatch for the trials left and submits it as one job array, recorded in
    /// SWEEP/slurm/jobs.json; null when no trial is left to submit.</summary>
    /// <param name="course">The command that starts `course` on a node.</param>
    /// <param name="device">--device of every trial.</param>
    public SlurmSubmission? Submit(SlurmOptions options, IReadOnlyList<string> course, string device)
    {
        options.Validate();
        var workingDirectory = Environment.CurrentDirectory;
        foreach (var path in new[] { Sweep.Directory, workingDirectory })
            if (path.Any(char.IsWhiteSpace))
                throw new UserError($"'{path}' has a space, which #SBATCH lines cannot hold; run the Slurm sweep from and into folders without spaces.");
        Sweep.RecordSpec();
        var left = Status().Where(t => t.State is TrialState.NotStarted or TrialState.Failed).Select(t => t.Index).ToList();
        if (left.Count == 0) return null;

        var script = Path.Combine(Sweep.Directory, BatchScript.FileName);
        Directory.CreateDirectory(Path.Combine(Sweep.Directory, BatchScript.LogFolder));
        File.WriteAllText(script, BatchScript.Write(Sweep.Directory, left, options, course, workingDirectory, Data.CacheDirectory.Resolve(), device));
        var submission = new SlurmSubmission(slurm.Submit(script), left, DateTimeOffset.UtcNow);
        SlurmSubmissions.Append(Sweep.Directory, submission);
        return submission;
    }

    /// <summary>Polls every <paramref name="interval"/> until no trial is queued or running (or until cancelled),
    /// calling <paramref name="update"/> with each reading; a poll that Slurm does not answer is reported to
    /// <paramref name="warn"/> and tried again, since the jobs go on without the controller.</summary>
    public IReadOnlyList<TrialStatus> Watch(TimeSpan interval, Action<IReadOnlyList<TrialStatus>> update, Action<string> warn, CancellationToken cancellation)
    {
        IReadOnlyList<TrialStatus> statuses = [];
        while (true)
        {
            try
            {
                statuses = Status();
                update(statuses);
                if (!SweepStatus.InProgress(statuses)) return statuses;
            }
            catch (SlurmException e)
            {
                warn($"{e.Message} Trying again in {interval.TotalSeconds:0} s.");
            }
            if (cancellation.WaitHandle.WaitOne(interval)) return statuses;
        }
    }
}
