using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.DotNet.Interactive.Formatting;

namespace Course.Notebooks.Engine;

/// <summary>Formatted values (from Microsoft.DotNet.Interactive.Formatting) as a Jupyter MIME bundle.</summary>
internal static class MimeBundle
{
    public const string PlainText = "text/plain";

    /// <summary>A value's bundle in the MIME types the Formatter prefers for its type, as .NET Interactive shows it.</summary>
    public static JsonObject Of(object? value) => From(FormattedValue.CreateManyFromObject(value!), value);

    /// <summary>The bundle, with text/plain added when missing (Jupyter front ends and terminals fall back to it) and
    /// JSON MIME types (application/json, application/*+json) as JSON rather than as a string holding JSON.</summary>
    public static JsonObject From(IEnumerable<FormattedValue> values, object? value)
    {
        var bundle = new JsonObject();
        foreach (var formatted in values.Where(v => !v.SuppressDisplay))
            bundle[formatted.MimeType] = IsJson(formatted.MimeType) ? ParseJson(formatted.Value) : formatted.Value;
        if (!bundle.ContainsKey(PlainText))
            bundle[PlainText] = value.ToDisplayString(PlainText);
        return bundle;
    }

    private static bool IsJson(string mimeType) =>
        mimeType == "application/json" || (mimeType.StartsWith("application/", StringComparison.Ordinal) && mimeType.EndsWith("+json", StringComparison.Ordinal));

    private static JsonNode? ParseJson(string text)
    {
        try { return JsonNode.Parse(text); }
        catch (JsonException) { return text; } // a formatter that wrote something else under a JSON type: keep its text
    }
}
