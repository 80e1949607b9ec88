using System.Text.Json.Nodes;
using Course.Notebooks.Engine;

namespace Course.Notebooks.Kernel;

/// <summary>
/// Where one execute_request's output goes: IOPub messages whose parent is the request (stream, display_data,
/// update_display_data), and the stdin channel for input. A silent request publishes nothing, as the protocol
/// says; input is offered only when the request allowed stdin. Thread-safe: it only queues messages.
/// </summary>
public sealed class ExecutionOutput(
    MessageSender sender, JupyterMessage request, bool silent, bool allowStdin, StdinBridge stdin, CancellationToken interrupt) : ICellOutput
{
    public void Stream(string name, string text)
    {
        if (silent || string.IsNullOrEmpty(text)) return;
        if (name is not ("stdout" or "stderr")) throw new ArgumentException($"A stream is \"stdout\" or \"stderr\", not \"{name}\".", nameof(name));
        sender.Publish("stream", new JsonObject { ["name"] = name, ["text"] = text }, request);
    }

    public void Display(JsonObject data, JsonObject metadata, string? displayId, bool update)
    {
        if (update && displayId is null)
            throw new ArgumentException("Updating a display needs the display id it was shown with.", nameof(displayId));
        if (silent) return;
        var content = new JsonObject
        {
            // Cloned: a JsonNode belongs to one parent, and the caller may show the same bundle again.
            ["data"] = data.DeepClone(),
            ["metadata"] = metadata.DeepClone(),
            // transient: not stored in the notebook; lets the front end find the output to update.
            ["transient"] = displayId is null ? new JsonObject() : new JsonObject { ["display_id"] = displayId },
        };
        sender.Publish(update ? "update_display_data" : "display_data", content, request);
    }

    public string? ReadLine(string prompt, bool password) =>
        allowStdin ? stdin.Ask(request, prompt, password, interrupt) : null;
}
