namespace Course.Experiments.Slurm;

/// <summary>What each trial of a sweep asks Slurm for, as the #SBATCH lines of its job array.</summary>
/// <param name="Partition">The partition (queue); null for the cluster's default.</param>
/// <param name="Time">Time limit per trial in Slurm's notation (e.g. "30", "1:30:00", "1-0"); null for the partition's default.</param>
/// <param name="CpusPerTrial">CPU cores per trial (--cpus-per-task); the trial uses as many threads.</param>
/// <param name="Memory">Memory per trial in Slurm's notation (e.g. "4G"); null for the partition's default.</param>
/// <param name="GpusPerTrial">GPUs per trial, requested as --gres=gpu:N; 0 for none.</param>
/// <param name="MaxRunning">At most this many trials at once (the array's %N throttle); null for no limit.</param>
/// <param name="ExtraOptions">More sbatch options, one #SBATCH line each (e.g. "--account=lab").</param>
public sealed record SlurmOptions(string? Partition = null, string? Time = null, int CpusPerTrial = 1, string? Memory = null, int GpusPerTrial = 0,
    int? MaxRunning = null, IReadOnlyList<string>? ExtraOptions = null)
{
    /// <summary>The extra options as sbatch spells them: "account=lab" and "#SBATCH --account=lab" both become "--account=lab".</summary>
    public IReadOnlyList<string> SbatchLines { get; } = (ExtraOptions ?? []).Select(Normalize).ToList();

    public SlurmOptions Validate()
    {
        if (CpusPerTrial < 1) throw new UserError($"--cpus-per-trial must be at least 1 (got {CpusPerTrial}).");
        if (GpusPerTrial < 0) throw new UserError($"--gpus-per-trial cannot be negative (got {GpusPerTrial}).");
        if (MaxRunning is < 1) throw new UserError($"--max-running must be at least 1 (got {MaxRunning}).");
        foreach (var (name, value) in new[] { ("--partition", Partition), ("--time", Time), ("--mem", Memory) })
            if (value is not null && (value.Length == 0 || value.Any(char.IsWhiteSpace)))
                throw new UserError($"{name} '{value}' must be one word, as sbatch takes it (e.g. --time 1:30:00, --mem 4G).");
        foreach (var line in SbatchLines)
            if (line.Any(c => c is '\n' or '\r') || line == "--")
                throw new UserError($"--sbatch '{line}' is not one sbatch option; give one option per --sbatch, e.g. --sbatch account=lab.");
        return this;
    }

    private static string Normalize(string option)
    {
        var text = option.Trim();
        if (text.StartsWith("#SBATCH", StringComparison.Ordinal)) text = text["#SBATCH".Length..].Trim();
        return text.StartsWith('-') ? text : "--" + text;
    }
}
