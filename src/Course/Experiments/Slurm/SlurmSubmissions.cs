using System.Text.Json;
using Course.Data;

namespace Course.Experiments.Slurm;

/// <summary>One sbatch of a sweep: the job array's id and the trials its tasks run.</summary>
public sealed record SlurmSubmission(string JobId, IReadOnlyList<int> Trials, DateTimeOffset Submitted);

/// <summary>
/// SWEEP/slurm/jobs.json: every job array submitted for a sweep, oldest first. It is how a rerun or `course sweep
/// status` finds the trials still queued or running without asking Slurm about every job of the user.
/// </summary>
public static class SlurmSubmissions
{
    public const string FileName = "jobs.json";
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static string PathIn(string sweepDirectory) => Path.Combine(sweepDirectory, BatchScript.LogFolder, FileName);

    public static IReadOnlyList<SlurmSubmission> Load(string sweepDirectory)
    {
        var path = PathIn(sweepDirectory);
        if (!File.Exists(path)) return [];
        try { return JsonSerializer.Deserialize<List<SlurmSubmission>>(File.ReadAllText(path), Json) ?? []; }
        catch (JsonException e)
        {
            throw new UserError($"{path} is damaged ({e.Message}). It lists the sweep's Slurm jobs: fix it by hand from `squeue --me`, or delete it once none of them is queued or running.");
        }
    }

    /// <summary>Adds a submission, atomically: a reader sees the old list or the new one.</summary>
    public static void Append(string sweepDirectory, SlurmSubmission submission) =>
        AtomicFile.WriteBytes(PathIn(sweepDirectory), JsonSerializer.SerializeToUtf8Bytes(Load(sweepDirectory).Append(submission).ToList(), Json));
}
