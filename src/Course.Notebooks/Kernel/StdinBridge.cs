using System.Text.Json.Nodes;

namespace Course.Notebooks.Kernel;

/// <summary>
/// Console.ReadLine in a cell, over Jupyter's stdin channel: sends input_request to the front end that ran the
/// cell and blocks the cell until the input_reply arrives (or the cell is interrupted). One request at a time,
/// as the protocol allows one pending prompt.
/// </summary>
public sealed class StdinBridge(MessageSender sender)
{
    private readonly SemaphoreSlim _one = new(1, 1);
    private TaskCompletionSource<string>? _pending;

    public string Ask(JupyterMessage request, string prompt, bool password, CancellationToken interrupt)
    {
        _one.Wait(interrupt);
        try
        {
            var answer = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _pending, answer);
            sender.Ask(request, new JsonObject { ["prompt"] = prompt, ["password"] = password });
            // An interrupt while waiting ends the cell, as Ctrl+C at a Python input() prompt does.
            return answer.Task.WaitAsync(interrupt).GetAwaiter().GetResult();
        }
        finally
        {
            Volatile.Write(ref _pending, null);
            _one.Release();
        }
    }

    /// <summary>Called on the sockets' thread with each message received on stdin.</summary>
    public void Deliver(JupyterMessage message)
    {
        if (message.MsgType != "input_reply")
        {
            KernelLog.Write($"ignored {message.MsgType} on stdin (only input_reply is expected there)");
            return;
        }
        var pending = Volatile.Read(ref _pending);
        if (pending is null)
        {
            KernelLog.Write("ignored an input_reply: no cell is waiting for input");
            return;
        }
        // jupyter_client sends input_reply without a parent header, so the single pending prompt is the match.
        pending.TrySetResult(message.Content["value"] is JsonValue value && value.TryGetValue<string>(out var text) ? text : "");
    }
}
