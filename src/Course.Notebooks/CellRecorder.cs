using System.Text.Json.Nodes;

namespace Course.Notebooks;

/// <summary>Writes the worker's reports into the notebook's cells as nbformat outputs.</summary>
internal sealed class CellRecorder(Notebook notebook)
{
    public int? CurrentIndex { get; private set; }
    public int CodeCellsRun { get; private set; }

    public void Start(int index, int executionCount)
    {
        CurrentIndex = index;
        CodeCellsRun = executionCount;
        notebook.Cells[index].ExecutionCount = executionCount;
    }

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

    public void Display(JsonObject data) => Add(new JsonObject { ["output_type"] = "display_data", ["data"] = data, ["metadata"] = new JsonObject() });

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

    public void Duration(double seconds)
    {
        if (CurrentIndex is int index)
            notebook.Cells[index].Metadata["execution"] = new JsonObject { ["duration_s"] = seconds };
    }

    private void Add(JsonObject output)
    {
        if (CurrentIndex is int index) notebook.Cells[index].Outputs.Add(output);
    }
}
