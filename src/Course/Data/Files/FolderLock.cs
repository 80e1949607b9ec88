namespace Course.Data;

/// <summary>
/// One writer per folder: an OS-level lock on FOLDER/.lock, held as long as the process holds this object (the
/// kernel drops it when the process dies, even by SIGKILL, so a crash never leaves a folder locked). The file
/// names the holder's PID and command, so a second process can say who has the folder.
/// </summary>
/// <remarks>The lock is a record lock (FileStream.Lock: fcntl on Linux, LockFileEx on Windows) on the
/// file's first byte, not a FileShare.None open: readers can still open the file to read the holder's name. Record
/// locks do not exclude the owning process itself, so a process-wide set catches a second lock taken in-process.</remarks>
public sealed class FolderLock : IDisposable
{
    public const string FileName = ".lock";

    private static readonly HashSet<string> HeldHere = new(StringComparer.Ordinal);
    private readonly FileStream _stream;

    private readonly bool _created;

    private FolderLock(string directory, FileStream stream, bool created) => (Directory, _stream, _created) = (directory, stream, created);

    public string Directory { get; }

    /// <summary>Creates <paramref name="directory"/> if needed and locks it.</summary>
    /// <param name="what">What the folder is, for the message ("run folder", "shard folder").</param>
    /// <exception cref="UserError">Another process (or another part of this one) holds the folder.</exception>
    public static FolderLock Acquire(string directory, string what)
    {
        if (string.IsNullOrWhiteSpace(directory)) throw new UserError($"The {what} is an empty path. Name a folder.");
        var full = Path.GetFullPath(directory);
        if (File.Exists(full)) throw new UserError($"{full} is a file, not a {what}. Choose another folder.");
        var created = !System.IO.Directory.Exists(full);
        try { System.IO.Directory.CreateDirectory(full); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserError($"Cannot write to the {what} {full} ({e.Message}). Choose another folder.");
        }
        var path = Path.Combine(full, FileName);
        lock (HeldHere)
            if (!HeldHere.Add(full))
                throw new UserError($"The {what} {full} is already in use by this process. Use another folder.");
        FileStream? stream = null;
        try
        {
            // macOS has no record locks in .NET: there the lock is an exclusive open (flock), which also keeps readers
            // from reading the holder's name.
            var share = OperatingSystem.IsMacOS() ? FileShare.None : FileShare.ReadWrite | FileShare.Delete;
            try { stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, share); }
            catch (UnauthorizedAccessException e) { throw new UserError($"Cannot write to the {what} {full} ({e.Message}). Choose another folder."); }
            catch (IOException) when (OperatingSystem.IsMacOS()) { throw InUse(what, full, "PID unknown"); }
            if (!OperatingSystem.IsMacOS())
            {
                try { stream.Lock(0, 1); }
                catch (IOException) { throw InUse(what, full, Holder(stream)); }
            }
            stream.SetLength(0);
            using (var writer = new StreamWriter(stream, leaveOpen: true)) writer.Write($"{Environment.ProcessId} {string.Join(' ', Environment.GetCommandLineArgs().Skip(1))}\n");
            stream.Flush();
            return new FolderLock(full, stream, created);
        }
        catch
        {
            stream?.Dispose();
            lock (HeldHere) HeldHere.Remove(full);
            throw;
        }
    }

    private static UserError InUse(string what, string full, string holder) =>
        new($"The {what} {full} is in use by another course process ({holder}). " +
            "Two writers would tear its files: wait for that process to finish, stop it, or choose another folder.");

    /// <summary>"PID 1234: pretrain --out runs/x", from the file the holder wrote.</summary>
    private static string Holder(FileStream stream)
    {
        stream.Position = 0;
        var text = new StreamReader(stream, leaveOpen: true).ReadToEnd().Trim();
        var space = text.IndexOf(' ');
        var pid = space < 0 ? text : text[..space];
        if (!int.TryParse(pid, out _)) return "PID unknown";
        return space < 0 ? $"PID {pid}" : $"PID {pid}: course {text[(space + 1)..]}";
    }

    /// <summary>Releases the lock. A folder that this lock created and that holds nothing else is removed: a command
    /// refused before it wrote anything leaves no trace.</summary>
    public void Dispose()
    {
        var unused = _created && System.IO.Directory.EnumerateFileSystemEntries(Directory).All(e => Path.GetFileName(e) == FileName);
        _stream.Dispose(); // closing the file releases the lock
        lock (HeldHere) HeldHere.Remove(Directory);
        if (!unused) return;
        try { System.IO.Directory.Delete(Directory, recursive: true); }
        catch (IOException) { } // another process took the folder meanwhile: it is theirs now
    }
}
