using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;

using Course.Notebooks.Engine;

namespace Course.Notebooks;

/// <summary>
/// Executes C# notebooks headlessly, each in its own worker process, and writes the executed notebooks
/// (outputs, execution counts, per-cell durations). A failing notebook does not stop the others.
/// </summary>
public static class NotebookRunner
{
    private static readonly TimeSpan StartupAllowance = TimeSpan.FromSeconds(120);

    /// <summary>Runs every notebook in turn; check <see cref="NotebookResult.Succeeded"/> on each (exit
    /// non-zero if any failed).</summary>
    public static async Task<IReadOnlyList<NotebookResult>> RunAsync(IEnumerable<string> paths, RunOptions options, CancellationToken cancellation = default)
    {
        var results = new List<NotebookResult>();
        foreach (var path in paths)
        {
            var result = await RunOneAsync(path, options, cancellation);
            options.Log?.WriteLine(result.Summary);
            results.Add(result);
        }
        return results;
    }

    public static async Task<NotebookResult> RunOneAsync(string path, RunOptions options, CancellationToken cancellation = default)
    {
        var clock = Stopwatch.StartNew();
        var outputPath = options.OutputDirectory is null ? path : Path.Combine(options.OutputDirectory, Path.GetFileName(path));
        Notebook notebook;
        try
        {
            notebook = Notebook.Load(path);
            ParameterInjector.Apply(notebook, options.Parameters);
            foreach (var cell in notebook.Cells) cell.ClearExecution();
            notebook.Save(outputPath);
        }
        catch (Exception e) when (e is NotebookException or InvalidDataException or FileNotFoundException)
        {
            return new NotebookResult(path, outputPath, NotebookStatus.Failed, 0, 0, clock.Elapsed, new NotebookFailure(null, null, null, "NotebookError", e.Message));
        }

        int codeCells = notebook.Cells.Count(c => c.IsCode && !string.IsNullOrWhiteSpace(c.Source));
        var recorder = new CellRecorder(notebook);
        var baseDirectory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var (status, failure) = await ExecuteAsync(Path.GetFullPath(outputPath), baseDirectory, recorder, options, cancellation);
        notebook.Save(outputPath);
        return new NotebookResult(path, outputPath, status, recorder.CodeCellsRun, codeCells, clock.Elapsed, failure);
    }

    private static async Task<(NotebookStatus, NotebookFailure?)> ExecuteAsync(
        string notebookPath, string baseDirectory, CellRecorder recorder, RunOptions options, CancellationToken cancellation)
    {
        using var worker = WorkerProcess.Start(notebookPath, baseDirectory, options.AllowErrors);
        var stderr = new StringBuilder();
        var stderrDone = PumpStderrAsync(worker, recorder, stderr, options);
        NotebookFailure? failure = null;
        bool done = false;

        // The timeout clock restarts at each cell. Start-up (loading the runtime, Roslyn and the references) is
        // not a cell: it gets at least StartupAllowance, so a short cell timeout still works on a busy machine.
        using var cellTimer = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        cellTimer.CancelAfter(options.CellTimeout > StartupAllowance ? options.CellTimeout : StartupAllowance);
        try
        {
            while (await worker.StandardOutput.ReadLineAsync(cellTimer.Token) is { } line)
            {
                var message = WorkerChannel.TryParse(line);
                if (message is null)
                {
                    if (line.Length > 0) Stream(recorder, options, "stdout", line + "\n"); // native code writing to fd 1
                    continue;
                }
                lock (recorder) switch (message["event"]!.GetValue<string>())
                {
                    case "cell-start":
                        recorder.Start(message["index"]!.GetValue<int>(), message["execution_count"]!.GetValue<int>());
                        cellTimer.CancelAfter(options.CellTimeout);
                        break;
                    case "stream":
                        Stream(recorder, options, message["name"]!.GetValue<string>(), message["text"]!.GetValue<string>());
                        break;
                    case "display":
                        recorder.Display(message["data"]!.AsObject().DeepClone().AsObject(), message["metadata"]!.AsObject().DeepClone().AsObject(),
                            message["display_id"]?.GetValue<string>(), message["update"]!.GetValue<bool>());
                        break;
                    case "cell-end":
                        if (message["result"] is JsonObject result) recorder.Result(result.DeepClone().AsObject());
                        if (message["error"] is JsonObject error)
                        {
                            var where = recorder.Error(error["ename"]!.GetValue<string>(), error["evalue"]!.GetValue<string>(),
                                error["traceback"]!.AsArray().Select(t => t!.GetValue<string>()), error["line"]?.GetValue<int>());
                            if (!options.AllowErrors && !recorder.CurrentCellHasTag(NotebookWorker.RaisesExceptionTag)) failure = where;
                        }
                        recorder.End();
                        break;
                    case "done":
                        done = true;
                        break;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            worker.Kill(entireProcessTree: true);
            await worker.WaitForExitAsync(CancellationToken.None);
            await stderrDone;
            var what = recorder.CurrentIndex is int index ? $"Cell {index + 1}" : "The notebook worker's start-up";
            var message = $"{what} did not finish within {options.CellTimeout.TotalSeconds:0.#} s, so its worker process was stopped. " +
                          "Make the cell faster (its parameters cell should hold CPU-sized defaults) or raise the per-cell timeout.";
            return (NotebookStatus.TimedOut, recorder.Error("TimeoutError", message, [message], null));
        }
        catch (OperationCanceledException)
        {
            worker.Kill(entireProcessTree: true);
            throw;
        }

        await worker.WaitForExitAsync(CancellationToken.None);
        await stderrDone;
        if (failure is not null) return (NotebookStatus.Failed, failure);
        if (done && worker.ExitCode == 0) return (NotebookStatus.Succeeded, null);
        var crash = $"The notebook worker exited with code {worker.ExitCode} before finishing. Its error output: {Tail(stderr.ToString())}";
        return (NotebookStatus.Failed, recorder.Error("WorkerCrashed", crash, crash.Split('\n'), null));
    }

    /// <summary>Reads the worker's stderr concurrently (a full pipe would block it); text there comes from native
    /// code or a crashing runtime, since Console.Error itself is captured inside the worker.</summary>
    private static async Task PumpStderrAsync(Process worker, CellRecorder recorder, StringBuilder all, RunOptions options)
    {
        while (await worker.StandardError.ReadLineAsync() is { } line)
        {
            all.AppendLine(line);
            Stream(recorder, options, "stderr", line + "\n");
        }
    }

    private static void Stream(CellRecorder recorder, RunOptions options, string name, string text)
    {
        lock (recorder) recorder.Stream(name, text);
        if (options.Echo) options.Log?.Write(text);
    }

    private static string Tail(string text) => text.Length <= 4000 ? text.Trim() : "..." + text[^4000..].Trim();
}
