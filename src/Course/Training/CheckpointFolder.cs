using Course.Data;

namespace Course.Training;

/// <summary>
/// How a checkpoint folder is written and trusted, whatever the model: its files go into a temporary folder
/// (.NAME.tmp-ID), a manifest listing each file's size and SHA-256 is written last, and the folder is renamed into
/// place, so a crash never leaves a half-written checkpoint under the real name. Readers check every file against the
/// manifest before using any. <see cref="Checkpoint"/> (GPTs) and <see cref="Vision.ImageCheckpoint"/> use it.
/// </summary>
public static class CheckpointFolder
{
    /// <summary>Writes the folder <paramref name="directory"/>: <paramref name="writeFiles"/> fills the temporary folder,
    /// then <paramref name="writeManifest"/> gets it and the record of every file in it.</summary>
    public static void Write(string directory, Action<string> writeFiles, Action<string, Dictionary<string, FileRecord>> writeManifest)
    {
        var full = Path.GetFullPath(directory);
        var parent = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(parent);
        var temporary = Path.Combine(parent, $".{Path.GetFileName(full)}.tmp-{Guid.NewGuid():N}");
        Directory.CreateDirectory(temporary);
        try
        {
            writeFiles(temporary);
            var files = Directory.GetFiles(temporary).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)
                .ToDictionary(name => name, name => FileRecord.Of(Path.Combine(temporary, name)));
            writeManifest(temporary, files);
            Replace(temporary, full);
        }
        finally
        {
            if (Directory.Exists(temporary)) Directory.Delete(temporary, recursive: true);
        }
    }

    /// <summary>Writes a file through <paramref name="write"/> and flushes it to the disk.</summary>
    public static void WriteFile(string path, Action<Stream> write)
    {
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        write(stream);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>Throws a <see cref="UserError"/> unless every file of <paramref name="files"/> is in
    /// <paramref name="directory"/> with its recorded size and SHA-256.</summary>
    public static void Verify(string directory, IReadOnlyDictionary<string, FileRecord> files)
    {
        foreach (var (name, expected) in files)
            FileRecord.Verify(Path.Combine(directory, name), expected, "Use another checkpoint.");
    }

    /// <summary>The folder to read for <paramref name="directory"/>: NAME.old when a crash came between moving the
    /// old folder aside and renaming the new one into place.</summary>
    public static string Recover(string directory) =>
        !Directory.Exists(directory) && Directory.Exists(directory + ".old") ? directory + ".old" : directory;

    /// <summary>Deletes what saves killed part-way left in <paramref name="checkpointsDirectory"/>: temporary folders
    /// (.NAME.tmp-*) and folders being discarded (.NAME.trash-*). Returns how many it removed. Call it only while
    /// holding the run folder's lock, so no save is in progress.</summary>
    public static int CleanInterruptedSaves(string checkpointsDirectory)
    {
        if (!Directory.Exists(checkpointsDirectory)) return 0;
        var leftovers = Directory.GetDirectories(checkpointsDirectory, ".*")
            .Where(d => Path.GetFileName(d) is var n && (n.Contains(".tmp-") || n.Contains(".trash-"))).ToList();
        foreach (var directory in leftovers) Directory.Delete(directory, recursive: true);
        return leftovers.Count;
    }

    /// <summary>Puts the finished temporary folder under the real name. A folder cannot be renamed over another,
    /// so the old one is first moved aside to NAME.old and removed afterwards; a crash in between leaves NAME.old,
    /// which a resume falls back to. Folders are only ever deleted under a hidden trash name, so a crash during a
    /// delete never leaves a half-deleted folder under a name that counts.</summary>
    private static void Replace(string temporary, string target)
    {
        var aside = target + ".old";
        if (Directory.Exists(aside)) Discard(aside);
        if (Directory.Exists(target)) Directory.Move(target, aside);
        Directory.Move(temporary, target);
        if (Directory.Exists(aside)) Discard(aside);
    }

    private static void Discard(string directory)
    {
        var trash = Path.Combine(Path.GetDirectoryName(directory)!, $".{Path.GetFileName(directory)}.trash-{Guid.NewGuid():N}");
        Directory.Move(directory, trash);
        Directory.Delete(trash, recursive: true);
    }
}
