using System.Security.Cryptography;
using System.Text;

namespace Course.Data;

/// <summary>Loads a training corpus by catalog name or from a local UTF-8 text file.</summary>
public static class Corpora
{
    /// <summary>The corpus used when none is named: .NET API documentation from the installed SDK, so training works offline.</summary>
    public const string Default = "dotnet-docs";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// The corpus named <paramref name="nameOrPath"/> (see <see cref="CorpusCatalog"/>), or the text of that file.
    /// Extracted or downloaded text is kept under <paramref name="cacheDirectory"/> (default: <see cref="CacheDirectory.Resolve"/>).
    /// </summary>
    /// <exception cref="CorpusException">The name is unknown, the file is missing or empty, or the text cannot be provided.</exception>
    public static CorpusText Load(string nameOrPath, string? cacheDirectory = null) => Load(nameOrPath, cacheDirectory, download: null);

    /// <inheritdoc cref="Load(string, string?)"/>
    /// <param name="download">Progress, time limit and whether an unverifiable download is allowed, for catalog corpora that are downloaded.</param>
    public static CorpusText Load(string nameOrPath, string? cacheDirectory, DownloadOptions? download)
    {
        if (string.IsNullOrWhiteSpace(nameOrPath))
            throw new CorpusException($"No corpus was given. Name one of {KnownNames()}, or give the path of a UTF-8 .txt file.");
        if (CorpusCatalog.Find(nameOrPath) is { } entry)
        {
            var cache = CacheDirectory.Resolve(cacheDirectory);
            return entry.Kind switch
            {
                "sdk-docs" => LoadSdkDocs(entry, cache),
                "download" => LoadDownload(entry, cache, download),
                CorpusCatalog.ImagesKind => throw new CorpusException($"'{entry.Name}' is a set of images, not a text corpus: train on it with `course vision train --dataset {entry.Name}`."),
                _ => throw new InvalidDataException($"The catalog entry '{entry.Name}' has kind '{entry.Kind}', which this version does not know."),
            };
        }
        if (File.Exists(nameOrPath) || LooksLikePath(nameOrPath)) return ReadFile(nameOrPath, nameOrPath, Path.GetFullPath(nameOrPath));
        throw new CorpusException($"'{nameOrPath}' is neither a known corpus nor an existing file. Name one of {KnownNames()}, or give the path of a UTF-8 .txt file.");
    }

    private static CorpusText LoadSdkDocs(CatalogEntry entry, string cache)
    {
        var pack = SdkReferencePack.Find();
        var source = $"<summary> text of {pack.XmlFiles.Count} XML files of Microsoft.NETCore.App.Ref {pack.Version} ({pack.Directory})";
        // The text depends on the pack version and on how it is rendered; both are in the name, so a cached file is
        // reused only when it would be extracted again byte for byte.
        var cached = Path.Combine(cache, entry.Name, $"{pack.Version}-r{DocSummaryExtractor.RenderingVersion}.txt");
        if (!File.Exists(cached))
        {
            var text = DocSummaryExtractor.Extract(pack.XmlFiles);
            AtomicFile.WriteBytes(cached, StrictUtf8.GetBytes(text));
        }
        return ReadFile(cached, entry.Name, source);
    }

    /// <summary>The file beside a download that the catalog cannot verify, holding the SHA-256 it had when it was
    /// downloaded (trust on first use), so that a later change or corruption is still caught.</summary>
    public const string RecordedShaSuffix = ".sha256";

    internal static CorpusText LoadDownload(CatalogEntry entry, string cache, DownloadOptions? options) =>
        ReadFile(Fetch(entry, cache, options), entry.Name, $"{entry.Url} ({entry.License})");

    /// <summary>The local copy of a catalog download, under <paramref name="cache"/>/NAME/: downloaded (resumably)
    /// when missing, and checked against the catalog's SHA-256, or the one recorded when it was first downloaded.</summary>
    /// <exception cref="CorpusException">The download failed or was refused, or the file is not the one expected.</exception>
    public static string Fetch(CatalogEntry entry, string cache, DownloadOptions? options)
    {
        var url = new Uri(entry.Url ?? throw new InvalidDataException($"The catalog entry '{entry.Name}' is a download without a url."));
        var path = Path.Combine(cache, entry.Name, Path.GetFileName(url.AbsolutePath));
        var recorded = path + RecordedShaSuffix;
        if (File.Exists(path))
        {
            // Downloaded earlier, or put there by hand: either way it must be the file the catalog describes, or the
            // one that was downloaded.
            var expected = entry.Sha256 ?? (File.Exists(recorded) ? File.ReadAllText(recorded).Trim() : null);
            if (expected is not null)
            {
                var actual = FileDownloader.HashFileAsync(path, CancellationToken.None).GetAwaiter().GetResult();
                if (actual != expected)
                    throw new CorpusException(entry.Sha256 is not null
                        ? $"The cached file {path} has SHA-256 {actual}, but '{entry.Name}' must have {expected}. " +
                          "It was left in place: delete it to download again, or replace it with the right file."
                        : $"The cached file {path} has SHA-256 {actual}, but it had {expected} when it was downloaded ({recorded}): " +
                          "it was changed or damaged since. Delete both files to download it again.");
            }
            return path;
        }
        // Run off the caller's synchronization context so that blocking on the task cannot deadlock a UI or notebook.
        var downloaded = Task.Run(() => FileDownloader.DownloadAsync(url, path, entry.Sha256, options)).GetAwaiter().GetResult();
        if (entry.Sha256 is null) AtomicFile.WriteBytes(recorded, Encoding.ASCII.GetBytes(downloaded + "\n"));
        return path;
    }

    /// <summary>Reads a whole UTF-8 file, rejecting what cannot be trained on with a message that says what to do.</summary>
    internal static CorpusText ReadFile(string path, string name, string source)
    {
        if (Directory.Exists(path))
            throw new CorpusException($"Corpus path '{path}' is a folder. Give the path of a UTF-8 .txt file inside it.");
        if (!File.Exists(path))
            throw new CorpusException($"Corpus file '{path}' does not exist (looked at {Path.GetFullPath(path)}). Check the path, or name one of {KnownNames()}.");
        var bytes = File.ReadAllBytes(path);
        string text;
        try
        {
            text = StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new CorpusException($"Corpus file '{path}' is not valid UTF-8 (bad byte at offset {e.Index}). Convert it to UTF-8, e.g. with iconv -t UTF-8.", e);
        }
        // A byte-order mark is an encoding detail, not text to learn.
        if (text.Length > 0 && text[0] == '\uFEFF') text = text[1..];
        if (text.Length == 0)
            throw new CorpusException($"Corpus file '{path}' is empty. Give a file with text to train on, or name one of {KnownNames()}.");
        return new CorpusText(name, text, Convert.ToHexStringLower(SHA256.HashData(bytes)), bytes.LongLength, source);
    }

    private static bool LooksLikePath(string s) =>
        s.Contains(Path.DirectorySeparatorChar) || s.Contains(Path.AltDirectorySeparatorChar) || Path.HasExtension(s);

    private static string KnownNames() => string.Join(", ", CorpusCatalog.Names);
}
