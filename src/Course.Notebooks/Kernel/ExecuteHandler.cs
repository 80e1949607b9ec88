using System.Text.Json.Nodes;
using Course.Notebooks.Engine;

namespace Course.Notebooks.Kernel;

/// <summary>
/// execute_request, as ipykernel answers it: execute_input, the cell's output, execute_result or error on IOPub,
/// then execute_reply with the execution count. After an error (stop_on_error, not silent) execute requests that
/// had already arrived are answered "aborted" without running, so a "Run all" stops at the first failing cell.
/// Runs on the shell thread only.
/// </summary>
internal sealed class ExecuteHandler(ICodeSession session, MessageSender sender, StdinBridge stdin, Interrupts interrupts, Action abortQueued)
{
    private bool _aborting;

    /// <summary>Counts executions that store history, as the front end's In [n] does.</summary>
    public int ExecutionCount { get; private set; }

    /// <summary>Called when every request that arrived before the error has been answered.</summary>
    public void StopAborting() => _aborting = false;

    public void Handle(JupyterMessage request)
    {
        if (_aborting)
        {
            var aborted = new JsonObject { ["status"] = "aborted" };
            sender.Reply(Channel.Shell, request, "execute_reply", aborted, new JsonObject { ["status"] = "aborted" });
            return;
        }

        var content = request.Content;
        var code = ContentFields.Text(content, "code");
        var silent = ContentFields.Flag(content, "silent", false);
        var storeHistory = !silent && ContentFields.Flag(content, "store_history", true); // silent forces it off
        var allowStdin = ContentFields.Flag(content, "allow_stdin", false);
        var stopOnError = ContentFields.Flag(content, "stop_on_error", true);

        if (storeHistory) ExecutionCount++;
        var count = ExecutionCount;
        if (!silent)
            sender.Publish("execute_input", new JsonObject { ["code"] = code, ["execution_count"] = count }, request);

        var started = DateTime.UtcNow;
        var token = interrupts.Begin();
        CellOutcome outcome;
        try
        {
            var output = new ExecutionOutput(sender, request, silent, allowStdin, stdin, token);
            outcome = session.ExecuteAsync(code, output, token).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            outcome = new CellOutcome.Failed(CellErrors.Interrupted());
        }
        catch (Exception e)
        {
            // The session should report failures as outcomes; if it throws, the kernel still answers and lives on.
            KernelLog.Write($"the code session threw instead of returning an outcome: {e}");
            outcome = new CellOutcome.Failed(new CellFailure(e.GetType().Name, e.Message, [e.ToString()], null));
        }
        finally
        {
            interrupts.End();
        }

        var metadata = new JsonObject { ["started"] = started.ToString("o") };
        switch (outcome)
        {
            case CellOutcome.Completed { Result: { } result }:
                if (!silent)
                    sender.Publish("execute_result", new JsonObject
                    {
                        ["execution_count"] = count,
                        ["data"] = result.DeepClone(),
                        ["metadata"] = new JsonObject(),
                    }, request);
                metadata["status"] = "ok";
                sender.Reply(Channel.Shell, request, "execute_reply", Ok(count), metadata);
                break;
            case CellOutcome.Completed:
                metadata["status"] = "ok";
                sender.Reply(Channel.Shell, request, "execute_reply", Ok(count), metadata);
                break;
            case CellOutcome.Failed { Error: var error }:
                // Front ends show only the traceback; one that is empty would make the error invisible.
                var traceback = error.Traceback.Count > 0 ? error.Traceback : [$"{error.Name}: {error.Message}"];
                if (!silent) sender.Publish("error", Error(error, traceback), request);
                var reply = Error(error, traceback);
                reply["status"] = "error";
                reply["execution_count"] = count;
                metadata["status"] = "error";
                sender.Reply(Channel.Shell, request, "execute_reply", reply, metadata);
                if (stopOnError && !silent)
                {
                    _aborting = true;
                    abortQueued();
                }
                break;
        }
    }

    private static JsonObject Ok(int count) => new()
    {
        ["status"] = "ok",
        ["execution_count"] = count,
        ["user_expressions"] = new JsonObject(), // evaluating them is optional; none are
        ["payload"] = new JsonArray(),
    };

    private static JsonObject Error(CellFailure error, IReadOnlyList<string> traceback) => new()
    {
        ["ename"] = error.Name,
        ["evalue"] = error.Message,
        ["traceback"] = new JsonArray(traceback.Select(line => (JsonNode?)JsonValue.Create(line)).ToArray()),
    };
}
