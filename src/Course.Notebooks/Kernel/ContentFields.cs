using System.Text.Json.Nodes;

namespace Course.Notebooks.Kernel;

/// <summary>Typed reads of a request's content fields, with the protocol's default when a field is missing or
/// of the wrong type: a client's sloppy message gets a default, not an exception on the shell thread.</summary>
internal static class ContentFields
{
    public static string Text(JsonObject content, string name) =>
        content[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : "";

    public static bool Flag(JsonObject content, string name, bool fallback) =>
        content[name] is JsonValue value && value.TryGetValue<bool>(out var flag) ? flag : fallback;

    public static int Number(JsonObject content, string name, int fallback) =>
        content[name] is JsonValue value && value.TryGetValue<int>(out var number) ? number : fallback;
}
