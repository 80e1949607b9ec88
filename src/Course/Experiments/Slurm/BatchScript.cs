using System.Text;

namespace Course.Experiments.Slurm;

/// <summary>
/// The sbatch script of a sweep's job array, written into the sweep folder so that users can read it and submit it
/// again by hand. Array task N runs trial N of the plan with `course sweep trial`; every path in it is absolute, so
/// it runs the same from any folder of any node that sees the same file system.
/// </summary>
public static class BatchScript
{
    public const string FileName = "sweep.sbatch";

    /// <summary>The array's output files, SWEEP/slurm/slurm-JOB_TASK.out, as Slurm names them by default.</summary>
    public const string LogFolder = "slurm";

    public static string LogPath(string sweepDirectory, string jobId, int trial) => Path.Combine(sweepDirectory, LogFolder, $"slurm-{jobId}_{trial}.out");

    /// <param name="sweep">The sweep folder (absolute).</param>
    /// <param name="trials">The trials to run: the array's task ids.</param>
    /// <param name="options">Partition, time, CPUs, memory, GPUs and extra lines.</param>
    /// <param name="course">The command that starts `course` (e.g. the dotnet host and Course.Cli.dll).</param>
    /// <param name="workingDirectory">Where the trials run, so a relative corpus path means what it meant to the controller.</param>
    /// <param name="cacheDirectory">The corpus cache every trial reads (filled once by the controller before submission).</param>
    /// <param name="device">--device of every trial: auto, cpu or cuda.</param>
    public static string Write(string sweep, IEnumerable<int> trials, SlurmOptions options, IReadOnlyList<string> course, string workingDirectory,
        string cacheDirectory, string device)
    {
        var array = TaskRanges.Format(trials) + (options.MaxRunning is int n ? $"%{n}" : "");
        var script = new StringBuilder();
        script.AppendLine("#!/bin/bash");
        script.AppendLine($"# A course sweep as a Slurm job array: task N trains trial N of {sweep}.");
        script.AppendLine("# Written by `course sweep --executor slurm`; `sbatch` it again to rerun these trials (completed ones are skipped).");
        script.AppendLine($"#SBATCH --job-name=course-sweep-{Path.GetFileName(sweep)}");
        script.AppendLine($"#SBATCH --array={array}");
        script.AppendLine($"#SBATCH --output={Path.Combine(sweep, LogFolder, "slurm-%A_%a.out")}");
        script.AppendLine($"#SBATCH --chdir={workingDirectory}");
        script.AppendLine("#SBATCH --ntasks=1");
        script.AppendLine($"#SBATCH --cpus-per-task={options.CpusPerTrial}");
        if (options.Partition is { } partition) script.AppendLine($"#SBATCH --partition={partition}");
        if (options.Time is { } time) script.AppendLine($"#SBATCH --time={time}");
        if (options.Memory is { } memory) script.AppendLine($"#SBATCH --mem={memory}");
        if (options.GpusPerTrial > 0) script.AppendLine($"#SBATCH --gres=gpu:{options.GpusPerTrial}");
        foreach (var line in options.SbatchLines) script.AppendLine($"#SBATCH {line}");
        script.AppendLine("set -euo pipefail");
        script.AppendLine("# As many libtorch threads as cores granted: more would slow down the trials that share a node.");
        script.AppendLine("export OMP_NUM_THREADS=\"${SLURM_CPUS_PER_TASK:-1}\"");
        script.AppendLine("# Every trial reads the corpus from one shared cache, which the controller filled before submitting.");
        script.AppendLine($"export COURSE_CACHE={Quote(cacheDirectory)}");
        script.AppendLine($"exec {string.Join(' ', course.Select(Quote))} sweep trial {Quote(sweep)} --index \"$SLURM_ARRAY_TASK_ID\" --device {Quote(device)}");
        return script.ToString();
    }

    /// <summary>A word for bash: single quotes, with a quote inside written as '\''.</summary>
    public static string Quote(string word) => "'" + word.Replace("'", "'\\''") + "'";
}
