using Course.Data;

namespace Course.Models;

/// <summary>
/// Where `--pretrained NAME|FOLDER` finds a checkpoint: a folder in Hugging Face's layout, or a model of the catalog
/// (data/catalog.json: gpt2, gpt2-medium, gpt2-large, gpt2-xl), downloaded into the cache on first use.
/// </summary>
/// <remarks>
/// The catalog records no checksums for these files, so, as for TinyStories, a first download needs
/// <see cref="DownloadOptions.AllowUnverified"/> and pins the SHA-256 each file had then; every later load checks it
/// (<see cref="PinnedDownload"/>).
/// </remarks>
public static class PretrainedModels
{
    /// <summary>The folder for <paramref name="nameOrFolder"/>: the folder itself when it exists, else the catalog model of
    /// that name under <paramref name="cacheDirectory"/>/models/NAME, fetched if needed.</summary>
    public static string Resolve(string nameOrFolder, string? cacheDirectory = null, DownloadOptions? options = null)
    {
        if (Directory.Exists(nameOrFolder)) return nameOrFolder;
        if (CorpusCatalog.Models.FirstOrDefault(m => m.Name == nameOrFolder) is { } entry) return Fetch(entry, CacheDirectory.Resolve(cacheDirectory), options);
        throw new UserError($"'{nameOrFolder}' is neither a folder nor a model of the catalog ({string.Join(", ", CorpusCatalog.Models.Select(m => m.Name))}). " +
            $"Give a Hugging Face GPT-2 folder ({HuggingFaceGpt2.ConfigFile} and {HuggingFaceGpt2.SafeTensorsFile}).");
    }

    /// <summary>Makes sure every file of <paramref name="entry"/> is in <paramref name="cache"/>/models/NAME and matches its
    /// pinned SHA-256; returns that folder.</summary>
    public static string Fetch(PretrainedEntry entry, string cache, DownloadOptions? options = null)
    {
        var folder = Path.Combine(cache, "models", entry.Name);
        foreach (var file in entry.Files)
            PinnedDownload.Ensure(entry.Name, new Uri(new Uri(entry.Url), file.Name), Path.Combine(folder, file.Name), file.Sha256, options);
        return folder;
    }
}
