using System.Text.Json.Nodes;

namespace Course.Notebooks.Kernel;

/// <summary>
/// Builds the kernel's outgoing messages (header, parent header, routing) and hands them to the sockets' queue.
/// Replies go back to the request's identities on the request's channel; IOPub messages go to every subscriber
/// with the request as parent, which is how front ends tie output to the cell that made it.
/// </summary>
public sealed class MessageSender(Action<Channel, JupyterMessage> send, string session)
{
    /// <summary>The kernel's session id, in every header it sends.</summary>
    public string Session => session;

    public void Reply(Channel channel, JupyterMessage request, string msgType, JsonObject content, JsonObject? metadata = null) =>
        send(channel, JupyterMessage.Create(msgType, session, content, request, request.Identities, metadata));

    public void Publish(string msgType, JsonObject content, JupyterMessage? parent) =>
        send(Channel.IOPub, JupyterMessage.Create(msgType, session, content, parent));

    /// <summary>execution_state: "starting", "busy" or "idle".</summary>
    public void Status(string executionState, JupyterMessage? parent) =>
        Publish("status", new JsonObject { ["execution_state"] = executionState }, parent);

    /// <summary>A stdin message (input_request) to the client that sent <paramref name="request"/>: jupyter_client
    /// gives its shell and stdin sockets one identity, so the shell request's identities route it.</summary>
    public JupyterMessage Ask(JupyterMessage request, JsonObject content)
    {
        var message = JupyterMessage.Create("input_request", session, content, request, request.Identities);
        send(Channel.Stdin, message);
        return message;
    }

    /// <summary>The reply type for a request type: "kernel_info_request" answers with "kernel_info_reply".</summary>
    public static string ReplyType(string requestType) =>
        requestType.EndsWith("_request", StringComparison.Ordinal) ? requestType[..^"_request".Length] + "_reply" : requestType + "_reply";
}
