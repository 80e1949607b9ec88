using System.Text.Json.Nodes;

namespace Course.Notebooks;

/// <summary>Small helpers for the JSON shapes nbformat uses.</summary>
internal static class NbJson
{
    /// <summary>Multi-line text as nbformat writes it: a list of lines, each but the last keeping its "\n".</summary>
    public static JsonArray Lines(string text)
    {
        var lines = new JsonArray();
        int start = 0;
        while (start < text.Length)
        {
            int end = text.IndexOf('\n', start);
            if (end < 0) end = text.Length - 1;
            lines.Add(text[start..(end + 1)]);
            start = end + 1;
        }
        return lines;
    }

    public static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode)v).ToArray());
}
