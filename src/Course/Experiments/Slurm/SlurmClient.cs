using System.ComponentModel;
using System.Globalization;
using System.Text.RegularExpressions;
using CliWrap;
using CliWrap.Buffered;

namespace Course.Experiments.Slurm;

/// <summary>A failure of Slurm or of reaching it, said in one line with what to do.</summary>
public sealed class SlurmException(string message) : UserError(message);

/// <summary>One array task, or a range of still-pending ones, as `scontrol show job` reports it.</summary>
/// <param name="Trials">The array task ids this record stands for (a pending range covers several).</param>
/// <param name="State">Slurm's job state: PENDING, RUNNING, COMPLETED, FAILED, CANCELLED, TIMEOUT, OUT_OF_MEMORY, ...</param>
/// <param name="ExitCode">"code:signal", as Slurm prints it.</param>
public sealed record SlurmTask(IReadOnlyList<int> Trials, string State, string Reason, string ExitCode);

/// <summary>Slurm's own commands (sbatch, scontrol, scancel, sinfo), run as a user runs them, with SLURM_CONF and PATH as they are.</summary>
public sealed partial class SlurmClient
{
    /// <summary>Submits a batch script; returns the job id.</summary>
    public string Submit(string script)
    {
        var result = Run("sbatch", ["--parsable", script]);
        if (result.ExitCode != 0)
        {
            var reason = Errors(result.StandardError);
            var hint = reason.Contains("partition", StringComparison.OrdinalIgnoreCase) ? $" Partitions here: {string.Join(", ", Partitions())}; choose one with --partition." : "";
            throw new SlurmException($"sbatch refused the sweep's job array: {reason}.{hint} (The batch script is {script}.)");
        }
        // --parsable prints "JOBID" or "JOBID;CLUSTER".
        var jobId = result.StandardOutput.Trim().Split(';')[0];
        return long.TryParse(jobId, NumberStyles.None, CultureInfo.InvariantCulture, out _) ? jobId
            : throw new SlurmException($"sbatch answered '{result.StandardOutput.Trim()}' instead of a job id; check the job with squeue.");
    }

    /// <summary>The tasks of job array <paramref name="jobId"/>; empty once Slurm has forgotten the job (MinJobAge after it ended).</summary>
    public IReadOnlyList<SlurmTask> Tasks(string jobId)
    {
        var result = Run("scontrol", ["show", "job", "--oneliner", jobId]);
        if (result.ExitCode != 0)
        {
            if (result.StandardError.Contains("Invalid job id", StringComparison.OrdinalIgnoreCase)) return [];
            throw new SlurmException($"scontrol could not report job {jobId}: {Errors(result.StandardError)}.");
        }
        return result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(ParseTask).ToList();
    }

    /// <summary>Cancels the queued and running tasks of a job array.</summary>
    public void Cancel(string jobId)
    {
        var result = Run("scancel", [jobId]);
        if (result.ExitCode != 0) throw new SlurmException($"scancel {jobId} failed: {Errors(result.StandardError)}.");
    }

    /// <summary>The partitions this user can submit to, as sinfo lists them.</summary>
    public IReadOnlyList<string> Partitions()
    {
        var result = Run("sinfo", ["--noheader", "--format=%R"]);
        return result.ExitCode == 0 ? result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().ToList() : ["(sinfo failed)"];
    }

    /// <summary>One line of `scontrol show job --oneliner`: the fields a sweep needs (none of them holds a space).</summary>
    public static SlurmTask ParseTask(string line)
    {
        var fields = Field().Matches(line).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        string Get(string key) => fields.TryGetValue(key, out var value) ? value
            : throw new SlurmException($"scontrol printed a job without {key}: '{line}'. Is this Slurm 20 or newer?");
        return new SlurmTask(TaskRanges.Parse(Get("ArrayTaskId")), Get("JobState"), fields.GetValueOrDefault("Reason", "None"), Get("ExitCode"));
    }

    private static BufferedCommandResult Run(string program, string[] arguments)
    {
        try
        {
            return Cli.Wrap(program).WithArguments(arguments).WithValidation(CommandResultValidation.None).ExecuteBufferedAsync().GetAwaiter().GetResult();
        }
        catch (Win32Exception)
        {
            throw new SlurmException($"{program} is not on PATH: --executor slurm hands trials to Slurm, so run the sweep where Slurm's commands are " +
                "(a cluster's login node, or after `module load slurm`), or use --executor local.");
        }
    }

    // sbatch and scontrol prefix each message with "sbatch: error: "; together they say what and why ("invalid
    // partition specified: gpu; Batch job submission failed: Invalid partition name specified").
    private static string Errors(string standardError)
    {
        var lines = standardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(l => ErrorPrefix().Replace(l, "")).Distinct().ToList();
        return lines.Count > 0 ? string.Join("; ", lines) : "no message";
    }

    [GeneratedRegex(@"(?:^|\s)(ArrayTaskId|JobState|Reason|ExitCode)=(\S*)")]
    private static partial Regex Field();

    [GeneratedRegex(@"^\w+: (error: )?")]
    private static partial Regex ErrorPrefix();
}
