using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Course.Notebooks;

/// <summary>
/// Writes a notebook the way Jupyter lays it out (one key or line of text per line, indented by one space) but keeps
/// data on one line: arrays of numbers, and JSON MIME payloads such as a Plotly figure. Written one number per line,
/// a chart's data would make the file many times longer and its diffs unreadable.
/// </summary>
internal static class NotebookJsonWriter
{
    private static readonly JsonSerializerOptions Compact = new()
    {
        // Notebooks hold HTML and non-ASCII prose; Jupyter writes them unescaped, so diffs stay readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Write(JsonNode root)
    {
        var text = new StringBuilder();
        Write(root, text, 0, compact: false);
        return text.Append('\n').ToString();
    }

    private static void Write(JsonNode? node, StringBuilder text, int depth, bool compact)
    {
        switch (node)
        {
            case JsonObject obj when !compact && obj.Count > 0:
                text.Append('{');
                var first = true;
                foreach (var (key, value) in obj)
                {
                    text.Append(first ? "\n" : ",\n").Append(' ', depth + 1).Append(JsonSerializer.Serialize(key, Compact)).Append(": ");
                    Write(value, text, depth + 1, IsJsonMimeType(key));
                    first = false;
                }
                text.Append('\n').Append(' ', depth).Append('}');
                break;
            case JsonArray array when !compact && array.Count > 0 && !array.All(IsScalar):
                text.Append('[');
                for (int i = 0; i < array.Count; i++)
                {
                    text.Append(i == 0 ? "\n" : ",\n").Append(' ', depth + 1);
                    Write(array[i], text, depth + 1, compact: false);
                }
                text.Append('\n').Append(' ', depth).Append(']');
                break;
            default:
                text.Append(node is null ? "null" : node.ToJsonString(Compact));
                break;
        }
    }

    /// <summary>Numbers, booleans and nulls; an array of only these is data, kept on one line. (Strings are not:
    /// nbformat's lists of text lines stay one line each.)</summary>
    private static bool IsScalar(JsonNode? node) => node is null || (node is JsonValue value && value.GetValueKind() != JsonValueKind.String);

    private static bool IsJsonMimeType(string key) =>
        key == "application/json" || (key.StartsWith("application/", StringComparison.Ordinal) && key.EndsWith("+json", StringComparison.Ordinal));
}
