using System.Text.Json;
using System.Text.Json.Serialization;

namespace Course.Data;

/// <summary>One named corpus of data/catalog.json.</summary>
/// <param name="Name">The name users pass, e.g. "tinyshakespeare".</param>
/// <param name="Kind">"sdk-docs" (extracted from the installed .NET SDK), "download" (a text file), or "images" (an
/// image archive for `course vision train`).</param>
/// <param name="Url">For downloads: the address of the file.</param>
/// <param name="Bytes">For downloads: the expected size, when known.</param>
/// <param name="Sha256">For downloads: the expected lower-case hex SHA-256; null when not known, and then the file
/// is only accepted when the user allows it explicitly.</param>
public sealed record CatalogEntry(
    string Name,
    string Kind,
    string Description,
    string License,
    string? Url = null,
    long? Bytes = null,
    string? Sha256 = null);

/// <summary>One published checkpoint of data/catalog.json's "models": files fetched from <see cref="Url"/> + each file's name.</summary>
/// <param name="Name">The name users pass, e.g. "gpt2-medium".</param>
/// <param name="Url">The folder the files are downloaded from (ends with a slash).</param>
public sealed record PretrainedEntry(string Name, string Description, string License, string Url, IReadOnlyList<PretrainedFile> Files);

/// <summary>A file of a <see cref="PretrainedEntry"/>; without a sha256 it is pinned by the one it had at its first download.</summary>
public sealed record PretrainedFile(string Name, long? Bytes = null, string? Sha256 = null);

/// <summary>
/// The named corpora, and the published checkpoints the course can load. The catalog is data/catalog.json of the repository, embedded in this assembly so it is found
/// from any working directory and by installed tools.
/// </summary>
public static class CorpusCatalog
{
    private const string ResourceName = "Course.Data.catalog.json";

    private static readonly Lazy<CatalogFile> All = new(Read);

    public static IReadOnlyList<CatalogEntry> Entries => All.Value.Corpora;

    /// <summary>The checkpoints of the catalog ("models"): the four sizes of GPT-2.</summary>
    public static IReadOnlyList<PretrainedEntry> Models => All.Value.Models ?? [];

    public const string ImagesKind = "images";

    /// <summary>The text corpora's names (the image sets are for `course vision train`).</summary>
    public static IEnumerable<string> Names => Entries.Where(e => e.Kind != ImagesKind).Select(e => e.Name);

    public static CatalogEntry? Find(string name) => Entries.FirstOrDefault(e => e.Name == name);

    private static CatalogFile Read()
    {
        using var stream = typeof(CorpusCatalog).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The corpus catalog resource {ResourceName} is missing from the build; rebuild the Course project.");
        var options = new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };
        var file = JsonSerializer.Deserialize<CatalogFile>(stream, options)
            ?? throw new InvalidDataException($"The corpus catalog {ResourceName} is empty.");
        return file;
    }

    private sealed record CatalogFile([property: JsonRequired] List<CatalogEntry> Corpora, List<PretrainedEntry>? Models);
}
