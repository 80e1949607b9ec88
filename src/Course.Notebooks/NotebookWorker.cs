using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;

namespace Course.Notebooks;

/// <summary>
/// The child-process side: executes one notebook's code cells in order, each continuing the previous
/// submission's state, and reports every output to the runner over <see cref="WorkerChannel"/>. It never writes
/// the notebook; the runner does, so a killed worker cannot leave a broken file.
/// </summary>
internal static class NotebookWorker
{
    public static async Task<int> RunAsync(string notebookPath, string baseDirectory)
    {
        var channel = new WorkerChannel(Console.OpenStandardOutput());
        Console.SetOut(new CaptureWriter(channel, "stdout"));
        Console.SetError(new CaptureWriter(channel, "stderr"));

        var notebook = Notebook.Load(notebookPath);
        var environment = new ScriptEnvironment(baseDirectory, PackageCatalog.Current);
        var globals = new NotebookGlobals(value => channel.Send("display", new JsonObject { ["data"] = DisplayFormatter.Format(value) }));

        // Two small submissions load the compiler and the references and compile through the continuation path
        // before any cell's clock starts, so a cell's timeout measures the cell, not Roslyn's start-up.
        var (_, options) = environment.Prepare("", Path.Combine(baseDirectory, "setup.csx"));
        ScriptState<object> state = await CSharpScript.RunAsync("", options, globals);
        state = await state.ContinueWithAsync("System.Linq.Enumerable.Range(0, 2).Select(i => i.ToString()).Count()", options);
        channel.Send("ready", new JsonObject());

        int executionCount = 0;
        for (int index = 0; index < notebook.Cells.Count; index++)
        {
            var cell = notebook.Cells[index];
            if (!cell.IsCode || string.IsNullOrWhiteSpace(cell.Source)) continue;
            executionCount++;
            channel.Send("cell-start", new JsonObject { ["index"] = index, ["execution_count"] = executionCount });
            var clock = Stopwatch.StartNew();
            var end = new JsonObject { ["index"] = index };
            var cellFile = Path.Combine(baseDirectory, $"cell{index + 1}.csx");
            try
            {
                var code = CellSource.ToCSharp(cell.Source, $"Cell {index + 1}");
                var (prepared, cellOptions) = environment.Prepare(code, cellFile);
                state = await state.ContinueWithAsync(prepared, cellOptions);
                if (state.ReturnValue is not null)
                    end["result"] = DisplayFormatter.Format(state.ReturnValue);
            }
            catch (Exception e)
            {
                end["error"] = CellError.From(e, cellFile);
            }
            end["duration_s"] = Math.Round(clock.Elapsed.TotalSeconds, 3);
            channel.Send("cell-end", end);
            if (end["error"] is not null) return 1;
        }
        channel.Send("done", new JsonObject());
        return 0;
    }
}
