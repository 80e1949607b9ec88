using System.Text.Json.Nodes;

namespace Course.Notebooks;

/// <summary>One nbformat 4 cell, a view over its JSON object (unknown fields are kept).</summary>
public sealed class NotebookCell
{
    internal NotebookCell(JsonObject json) => Json = json;

    internal JsonObject Json { get; }

    /// <summary>"code", "markdown" or "raw".</summary>
    public string CellType => Json["cell_type"]?.GetValue<string>() ?? "raw";

    public bool IsCode => CellType == "code";

    /// <summary>The cell text; nbformat allows a string or a list of lines, both are read.</summary>
    public string Source
    {
        get => Json["source"] switch
        {
            JsonArray lines => string.Concat(lines.Select(l => l?.GetValue<string>())),
            JsonValue text => text.GetValue<string>(),
            _ => "",
        };
        set => Json["source"] = NbJson.Lines(value);
    }

    public JsonObject Metadata => Json["metadata"] as JsonObject ?? (JsonObject)(Json["metadata"] = new JsonObject());

    public IReadOnlyList<string> Tags =>
        Metadata["tags"] is JsonArray tags ? tags.Select(t => t!.GetValue<string>()).ToList() : [];

    public bool HasTag(string tag) => Tags.Contains(tag);

    /// <summary>The outputs of a code cell (empty for other cells).</summary>
    public JsonArray Outputs => Json["outputs"] as JsonArray ?? (JsonArray)(Json["outputs"] = new JsonArray());

    public int? ExecutionCount
    {
        get => Json["execution_count"]?.GetValue<int>();
        set => Json["execution_count"] = value;
    }

    /// <summary>Forgets a previous run: no outputs, no execution count, no timing.</summary>
    internal void ClearExecution()
    {
        if (!IsCode) return;
        Json["outputs"] = new JsonArray();
        Json["execution_count"] = null;
        Metadata.Remove("execution");
    }
}
