using System.Security.Cryptography;
using Course.Data;

namespace Course.Training;

/// <summary>
/// How a checkpoint folder is written and trusted, whatever the model: its files go into a temporary folder
/// (.NAME.tmp-ID), a manifest listing each file's size and SHA-256 is written last, and the folder is renamed into
/// place, so a crash never leaves a half-written checkpoint under the real name. Readers check every file against the
/// manifest before using any. <see cref="Vision.ImageCheckpoint"/> uses it; <see cref="Checkpoint"/> does the same for GPTs.
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
                .ToDictionary(name => name, name => Describe(Path.Combine(temporary, name)));
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

    /// <summary>Throws <see cref="InvalidDataException"/> unless every file of <paramref name="files"/> is in
    /// <paramref name="directory"/> with its recorded size and SHA-256.</summary>
    public static void Verify(string directory, IReadOnlyDictionary<string, FileRecord> files)
    {
        foreach (var (name, expected) in files)
        {
            var path = Path.Combine(directory, name);
            if (!File.Exists(path)) throw new InvalidDataException($"Checkpoint {directory} is incomplete: {name} is missing.");
            var actual = Describe(path);
            if (actual.Bytes != expected.Bytes)
                throw new InvalidDataException($"Checkpoint file {path} has {actual.Bytes} bytes, {expected.Bytes} were written: it was truncated or changed. Use another checkpoint.");
            if (actual.Sha256 != expected.Sha256)
                throw new InvalidDataException($"Checkpoint file {path} does not match its recorded sha256: it is corrupt. Use another checkpoint.");
        }
    }

    /// <summary>The folder to read for <paramref name="directory"/>: NAME.old when a crash came between moving the
    /// old folder aside and renaming the new one into place.</summary>
    public static string Recover(string directory) =>
        !Directory.Exists(directory) && Directory.Exists(directory + ".old") ? directory + ".old" : directory;

    private static FileRecord Describe(string path)
    {
        using var stream = File.OpenRead(path);
        return new FileRecord(stream.Length, Convert.ToHexStringLower(SHA256.HashData(stream)));
    }

    /// <summary>A folder cannot be renamed over another: the old one moves aside to NAME.old first and is deleted after.</summary>
    private static void Replace(string temporary, string target)
    {
        var aside = target + ".old";
        if (Directory.Exists(aside)) Directory.Delete(aside, recursive: true);
        if (Directory.Exists(target)) Directory.Move(target, aside);
        Directory.Move(temporary, target);
        if (Directory.Exists(aside)) Directory.Delete(aside, recursive: true);
    }
}
