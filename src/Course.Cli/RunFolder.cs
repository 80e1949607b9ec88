using Course.Training;

namespace Course.Cli;

/// <summary>Checks a run folder before any training starts, so that no earlier run is overwritten by accident
/// and an unwritable folder is reported at once rather than after minutes of training.</summary>
public static class RunFolder
{
    public static string Prepare(string path, bool resume)
    {
        var full = Path.GetFullPath(path);
        var latest = Path.Combine(full, Trainer.LatestCheckpoint);
        if (resume && !Directory.Exists(latest) && !Directory.Exists(latest + ".old"))
            throw new ArgumentException($"--resume: {full} has no checkpoint to resume ({Trainer.LatestCheckpoint} is missing). Give the --out of an earlier run.");
        if (!resume && Directory.Exists(Path.Combine(full, "checkpoints")))
            throw new ArgumentException($"{full} already holds a run with checkpoints. Add --resume to continue it, or choose another --out.");
        try
        {
            Directory.CreateDirectory(full);
            var probe = Path.Combine(full, $".write-test-{Environment.ProcessId}");
            File.WriteAllText(probe, "");
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"Cannot write to the run folder {full} ({e.Message}). Choose another --out.");
        }
        return full;
    }
}
