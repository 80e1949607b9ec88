using System.Text.Json.Nodes;

namespace Course.Notebooks.Kernel;

/// <summary>
/// One message of the Jupyter protocol: the ZeroMQ routing identities it came with (replies go back to them), and
/// its four JSON parts. Buffers (binary frames after the content) are kept but this kernel neither needs nor sends any.
/// </summary>
public sealed record JupyterMessage(
    IReadOnlyList<byte[]> Identities, JsonObject Header, JsonObject ParentHeader, JsonObject Metadata, JsonObject Content)
{
    public IReadOnlyList<byte[]> Buffers { get; init; } = [];

    public string MsgType => Header["msg_type"]?.GetValue<string>() ?? "";

    public string MsgId => Header["msg_id"]?.GetValue<string>() ?? "";

    /// <summary>A message answering or caused by <paramref name="parent"/>: its header becomes our parent_header.
    /// Content is deep-cloned by the caller's choice of node; headers are cloned here because a JsonNode has one parent.</summary>
    public static JupyterMessage Create(string msgType, string session, JsonObject content, JupyterMessage? parent, IReadOnlyList<byte[]>? identities = null, JsonObject? metadata = null) =>
        new(identities ?? [], MessageHeader.Create(msgType, session), parent?.Header.DeepClone().AsObject() ?? [], metadata ?? [], content);
}

/// <summary>The header every message carries (messaging spec 5.3).</summary>
public static class MessageHeader
{
    public const string ProtocolVersion = "5.3";

    public static JsonObject Create(string msgType, string session) => new()
    {
        ["msg_id"] = Guid.NewGuid().ToString("N"),
        ["session"] = session,
        ["username"] = "kernel",
        // ISO 8601 with an explicit UTC zone: jupyter_client parses it into an aware datetime.
        ["date"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", System.Globalization.CultureInfo.InvariantCulture),
        ["msg_type"] = msgType,
        ["version"] = ProtocolVersion,
    };
}
