using System.Globalization;
using System.Text.Json.Nodes;

namespace Course.Notebooks;

/// <summary>Writes the worker's reports into the notebook's cells as nbformat outputs, as nbclient would.</summary>
internal sealed class CellRecorder(Notebook notebook)
{
    /// <summary>The outputs shown under each display id, so an update replaces them wherever they are.</summary>
    private readonly Dictionary<string, List<JsonObject>> _displays = new(StringComparer.Ordinal);

    public int? CurrentIndex { get; private set; }
    public int CodeCellsRun { get; private set; }

    public void Start(int index, int executionCount)
    {
        CurrentIndex = index;
        CodeCellsRun = executionCount;
        notebook.Cells[index].ExecutionCount = executionCount;
        // nbclient's timing keys, as ISO 8601 strings (the nbformat schema wants strings under "execution").
        var now = Timestamp();
        notebook.Cells[index].Metadata["execution"] = new JsonObject
        {
            ["iopub.status.busy"] = now, ["iopub.execute_input"] = now,
        };
    }

    /// <summary>Marks the end of the current cell's execution.</summary>
    public void End()
    {
        if (CurrentIndex is not int index || notebook.Cells[index].Metadata["execution"] is not JsonObject execution) return;
        var now = Timestamp();
        execution["shell.execute_reply"] = now;
        execution["iopub.status.idle"] = now;
    }

    public bool CurrentCellHasTag(string tag) => CurrentIndex is int index && notebook.Cells[index].HasTag(tag);

    /// <summary>Appends printed text; consecutive text of one stream is merged into one output, as Jupyter does.
    /// Text that arrives with no cell running (before the first) is dropped to the caller's log only.</summary>
    public void Stream(string name, string text)
    {
        if (CurrentIndex is not int index) return;
        var outputs = notebook.Cells[index].Outputs;
        if (outputs.Count > 0 && outputs[^1] is JsonObject last && last["output_type"]?.GetValue<string>() == "stream" && last["name"]?.GetValue<string>() == name)
        {
            last["text"] = NbJson.Lines(string.Concat(last["text"]!.AsArray().Select(l => l!.GetValue<string>())) + text);
            return;
        }
        outputs.Add(new JsonObject { ["output_type"] = "stream", ["name"] = name, ["text"] = NbJson.Lines(text) });
    }

    /// <summary>A display_data output; an update instead replaces the data of every output shown under the same id.</summary>
    public void Display(JsonObject data, JsonObject metadata, string? displayId, bool update)
    {
        if (update)
        {
            foreach (var shown in displayId is not null && _displays.TryGetValue(displayId, out var list) ? list : [])
            {
                shown["data"] = data.DeepClone();
                shown["metadata"] = metadata.DeepClone();
            }
            return;
        }
        var output = new JsonObject { ["output_type"] = "display_data", ["data"] = data, ["metadata"] = metadata };
        Add(output);
        if (displayId is not null)
        {
            if (!_displays.TryGetValue(displayId, out var list)) _displays[displayId] = list = [];
            list.Add(output);
        }
    }

    public void Result(JsonObject data)
    {
        if (CurrentIndex is not int index) return;
        Add(new JsonObject
        {
            ["output_type"] = "execute_result",
            ["data"] = data,
            ["execution_count"] = notebook.Cells[index].ExecutionCount,
            ["metadata"] = new JsonObject(),
        });
    }

    /// <summary>Records the error output and returns where it happened.</summary>
    public NotebookFailure Error(string name, string message, IEnumerable<string> traceback, int? line)
    {
        Add(new JsonObject
        {
            ["output_type"] = "error",
            ["ename"] = name,
            ["evalue"] = message,
            ["traceback"] = NbJson.Strings(traceback),
        });
        return new NotebookFailure(CurrentIndex + 1, CodeCellsRun == 0 ? null : CodeCellsRun, line, name, message);
    }

    private void Add(JsonObject output)
    {
        if (CurrentIndex is int index) notebook.Cells[index].Outputs.Add(output);
    }

    private static string Timestamp() => DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
}
