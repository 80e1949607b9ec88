using System.Text.Json.Nodes;
using Course.Notebooks.Engine;

namespace Course.Notebooks;

/// <summary>
/// The child-process side of the runner: executes one notebook's code cells in order in a <see cref="CSharpSession"/>
/// and reports every output to the runner over <see cref="WorkerChannel"/>. It never writes the notebook; the runner
/// does, so a killed worker cannot leave a broken file.
/// </summary>
internal static class NotebookWorker
{
    public static async Task<int> RunAsync(string notebookPath, string baseDirectory, bool allowErrors)
    {
        // A killed runner must not leave this worker running a cell with nobody to read its output.
        using var parentWatch = ParentWatch.Start(WorkerProcess.ParentVariable, () => Environment.Exit(137));
        var channel = new WorkerChannel(Console.OpenStandardOutput());
        var notebook = Notebook.Load(notebookPath);
        using var session = new CSharpSession(baseDirectory);
        await session.WarmUpAsync();
        channel.Send("ready", new JsonObject());

        var output = new ChannelOutput(channel);
        int executionCount = 0;
        for (int index = 0; index < notebook.Cells.Count; index++)
        {
            var cell = notebook.Cells[index];
            if (!cell.IsCode || string.IsNullOrWhiteSpace(cell.Source)) continue;
            channel.Send("cell-start", new JsonObject { ["index"] = index, ["execution_count"] = ++executionCount });
            var outcome = await session.ExecuteAsync(cell.Source, output, CancellationToken.None);
            var end = new JsonObject { ["index"] = index };
            switch (outcome)
            {
                case CellOutcome.Completed { Result: { } result }:
                    end["result"] = result;
                    break;
                case CellOutcome.Failed { Error: var error }:
                    end["error"] = new JsonObject
                    {
                        ["ename"] = error.Name, ["evalue"] = error.Message, ["traceback"] = NbJson.Strings(error.Traceback), ["line"] = error.Line,
                    };
                    break;
            }
            channel.Send("cell-end", end);
            // As nbclient does: an error stops the notebook unless errors are allowed or the cell is expected to raise.
            if (outcome is CellOutcome.Failed && !allowErrors && !cell.HasTag(RaisesExceptionTag)) return 1;
        }
        channel.Send("done", new JsonObject());
        return 0;
    }

    /// <summary>nbclient's tag for a cell that shows an error on purpose.</summary>
    public const string RaisesExceptionTag = "raises-exception";

    /// <summary>Cell output as worker messages. The worker has no one to ask for input: ReadLine sees end of input.</summary>
    private sealed class ChannelOutput(WorkerChannel channel) : ICellOutput
    {
        public void Stream(string name, string text) => channel.Send("stream", new JsonObject { ["name"] = name, ["text"] = text });

        public void Display(JsonObject data, JsonObject metadata, string? displayId, bool update) =>
            channel.Send("display", new JsonObject { ["data"] = data, ["metadata"] = metadata, ["display_id"] = displayId, ["update"] = update });

        public string? ReadLine(string prompt, bool password) => null;
    }
}
