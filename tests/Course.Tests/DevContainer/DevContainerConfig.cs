using Course.Testing;
using System.Text.Json;

namespace Course.Tests.DevContainer;

/// <summary>A devcontainer.json read the way the Dev Containers tools read it: JSON with comments and trailing commas.</summary>
internal sealed class DevContainerConfig
{
    public string RelativePath { get; }
    public JsonElement Root { get; }

    private DevContainerConfig(string relativePath, JsonElement root) => (RelativePath, Root) = (relativePath, root);

    public static DevContainerConfig Load(string relativePath)
    {
        var options = new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };
        using var document = JsonDocument.Parse(File.ReadAllText(RepositoryRoot.PathOf(relativePath)), options);
        return new DevContainerConfig(relativePath, document.RootElement.Clone());
    }

    /// <summary>The property, failing the test with the file and property named when it is absent.</summary>
    public JsonElement Required(params string[] path)
    {
        var element = Root;
        foreach (var name in path)
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element))
                Assert.Fail($"{RelativePath} has no {string.Join('.', path)}.");
        return element;
    }

    public string RequiredString(params string[] path)
    {
        var element = Required(path);
        Assert.True(element.ValueKind == JsonValueKind.String, $"{RelativePath}: {string.Join('.', path)} is not a string.");
        return element.GetString()!;
    }

    public List<string> Strings(params string[] path) =>
        Required(path).EnumerateArray().Select(e => e.GetString() ?? "").ToList();
}
