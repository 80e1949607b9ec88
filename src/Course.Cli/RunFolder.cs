using Course.Data;
using Course.Experiments;
using Course.Training;

namespace Course.Cli;

/// <summary>
/// A run folder held by this process: locked against a second writer (see <see cref="FolderLock"/>), cleared of
/// what a killed save left behind, and checked before any training starts, so that no earlier run is overwritten by
/// accident and an unwritable folder is reported at once rather than after minutes of training.
/// </summary>
public sealed class RunFolder : IDisposable
{
    private readonly FolderLock _lock;

    private RunFolder(string path, FolderLock folderLock) => (Path, _lock) = (path, folderLock);

    public string Path { get; }

    /// <summary>Whether the folder holds a record or a checkpoint of an earlier run.</summary>
    public bool HoldsRun =>
        File.Exists(System.IO.Path.Combine(Path, RunRecord.FileName)) ||
        Directory.Exists(System.IO.Path.Combine(Path, "checkpoints")) && Directory.EnumerateFileSystemEntries(System.IO.Path.Combine(Path, "checkpoints")).Any();

    /// <summary>Locks <paramref name="path"/> (creating it) and removes the temporary folders of interrupted saves.</summary>
    /// <exception cref="UserError">The path is a file, cannot be written, or another process holds it.</exception>
    public static RunFolder Open(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        if (File.Exists(full)) throw new UserError($"{full} is a file, not a run folder. Choose another --out.");
        var folderLock = FolderLock.Acquire(full, "run folder");
        try
        {
            var probe = System.IO.Path.Combine(full, $".write-test-{Environment.ProcessId}");
            File.WriteAllText(probe, "");
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            folderLock.Dispose();
            throw new UserError($"Cannot write to the run folder {full} ({e.Message}). Choose another --out.");
        }
        var cleaned = CheckpointFolder.CleanInterruptedSaves(System.IO.Path.Combine(full, "checkpoints"));
        if (cleaned > 0) Lines.Write($"Removed {cleaned} unfinished checkpoint folder(s) that an interrupted save left in {full}/checkpoints.");
        return new RunFolder(full, folderLock);
    }

    /// <summary>Opens a folder for a new run, refusing one that holds an earlier run.</summary>
    /// <param name="reuseHint">What to do instead, e.g. "Add --resume to continue it, or choose another --out."</param>
    public static RunFolder OpenNew(string path, string reuseHint)
    {
        var folder = Open(path);
        if (folder.HoldsRun || File.Exists(System.IO.Path.Combine(folder.Path, Course.FineTuning.ClassifierCheckpoint.ManifestFile)))
        {
            folder.Dispose();
            throw new UserError($"{folder.Path} already holds a run. {reuseHint}");
        }
        return folder;
    }

    public void Dispose() => _lock.Dispose();
}
