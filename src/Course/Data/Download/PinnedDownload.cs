using System.Text;

namespace Course.Data;

/// <summary>
/// A file of the catalog in the cache, checked on every use: against the catalog's SHA-256, or, where the catalog
/// has none (TinyStories, the GPT-2 checkpoints), against the SHA-256 recorded beside it when it was first
/// downloaded (trust on first use), so that a later change or corruption is still caught.
/// </summary>
public static class PinnedDownload
{
    /// <summary>The file beside a download that the catalog cannot verify, holding the SHA-256 it had when it was downloaded.</summary>
    public const string RecordedShaSuffix = ".sha256";

    /// <summary>Makes sure <paramref name="path"/> holds the file of <paramref name="url"/> (entry <paramref name="name"/>
    /// of the catalog), downloading it when missing.</summary>
    /// <exception cref="CorpusException">The file differs from its pinned SHA-256, or the download was refused or failed.</exception>
    public static void Ensure(string name, Uri url, string path, string? sha256, DownloadOptions? options)
    {
        var recorded = path + RecordedShaSuffix;
        if (File.Exists(path))
        {
            // Downloaded earlier, or put there by hand: either way it must be the file the catalog describes, or the
            // one that was downloaded.
            var expected = sha256 ?? (File.Exists(recorded) ? File.ReadAllText(recorded).Trim() : null);
            if (expected is null) return;
            var actual = FileDownloader.HashFileAsync(path, CancellationToken.None).GetAwaiter().GetResult();
            if (actual != expected)
                throw new CorpusException(sha256 is not null
                    ? $"The cached file {path} has SHA-256 {actual}, but '{name}' must have {expected}. " +
                      "It was left in place: delete it to download again, or replace it with the right file."
                    : $"The cached file {path} has SHA-256 {actual}, but it had {expected} when it was downloaded ({recorded}): " +
                      "it was changed or damaged since. Delete both files to download it again.");
            return;
        }
        // Run off the caller's synchronization context so that blocking on the task cannot deadlock a UI or notebook.
        var downloaded = Task.Run(() => FileDownloader.DownloadAsync(url, path, sha256, options)).GetAwaiter().GetResult();
        if (sha256 is null) AtomicFile.WriteBytes(recorded, Encoding.ASCII.GetBytes(downloaded + "\n"));
    }
}
