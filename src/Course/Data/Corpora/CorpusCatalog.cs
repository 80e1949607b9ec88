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

/// <summary>
/// The named corpora. The catalog is data/catalog.json of the repository, embedded in this assembly so it is found
/// from any working directory and by installed tools.
/// </summary>
public static class CorpusCatalog
{
    private const string ResourceName = "Course.Data.catalog.json";

    private static readonly Lazy<IReadOnlyList<CatalogEntry>> All = new(Read);

    public static IReadOnlyList<CatalogEntry> Entries => All.Value;

    public const string ImagesKind = "images";

    /// <summary>The text corpora's names (the image sets are for `course vision train`).</summary>
    public static IEnumerable<string> Names => Entries.Where(e => e.Kind != ImagesKind).Select(e => e.Name);

    public static CatalogEntry? Find(string name) => Entries.FirstOrDefault(e => e.Name == name);

    private static IReadOnlyList<CatalogEntry> Read()
    {
        using var stream = typeof(CorpusCatalog).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The corpus catalog resource {ResourceName} is missing from the build; rebuild the Course project.");
        var options = new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };
        var file = JsonSerializer.Deserialize<CatalogFile>(stream, options)
            ?? throw new InvalidDataException($"The corpus catalog {ResourceName} is empty.");
        return file.Corpora;
    }

    private sealed record CatalogFile([property: JsonRequired] List<CatalogEntry> Corpora);
}
