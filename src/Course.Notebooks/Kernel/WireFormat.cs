using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Course.Notebooks.Kernel;

/// <summary>
/// Jupyter messages as ZeroMQ frames: identities, the "&lt;IDS|MSG&gt;" delimiter, the HMAC signature, then header,
/// parent_header, metadata, content and any buffers. Everything sent is signed; anything received that is unsigned,
/// wrongly signed, replayed or malformed is refused with a reason for the log.
/// </summary>
public sealed class WireFormat(MessageSigner signer)
{
    public const string Delimiter = "<IDS|MSG>";
    private static readonly byte[] DelimiterBytes = Encoding.ASCII.GetBytes(Delimiter);

    // Text stays readable on the wire (no \uXXXX for every accented letter); JSON in a ZeroMQ frame is never HTML.
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly ReplayGuard _replays = new();

    public List<byte[]> Encode(JupyterMessage message)
    {
        byte[] header = Bytes(message.Header), parent = Bytes(message.ParentHeader), metadata = Bytes(message.Metadata), content = Bytes(message.Content);
        var frames = new List<byte[]>(message.Identities.Count + 6 + message.Buffers.Count);
        frames.AddRange(message.Identities);
        frames.Add(DelimiterBytes);
        frames.Add(Encoding.ASCII.GetBytes(signer.Sign(header, parent, metadata, content)));
        frames.AddRange([header, parent, metadata, content]);
        frames.AddRange(message.Buffers);
        return frames;
    }

    /// <summary>The message in <paramref name="frames"/>, or null with <paramref name="problem"/> saying why it was refused.</summary>
    public JupyterMessage? Decode(IReadOnlyList<byte[]> frames, out string problem)
    {
        int delimiter = -1;
        for (int i = 0; i < frames.Count; i++)
            if (frames[i].AsSpan().SequenceEqual(DelimiterBytes)) { delimiter = i; break; }
        if (delimiter < 0 || frames.Count < delimiter + 6)
        {
            problem = "not a Jupyter message (no <IDS|MSG> delimiter followed by a signature and four parts)";
            return null;
        }
        var signature = Encoding.ASCII.GetString(frames[delimiter + 1]);
        byte[] header = frames[delimiter + 2], parent = frames[delimiter + 3], metadata = frames[delimiter + 4], content = frames[delimiter + 5];
        if (signature.Length == 0)
        {
            problem = "unsigned message";
            return null;
        }
        if (!signer.Verify(signature, header, parent, metadata, content))
        {
            problem = "bad signature (is the client using this kernel's connection file?)";
            return null;
        }
        // A valid signature seen before is a captured message sent again; jupyter_client refuses those too.
        if (!_replays.FirstSight(signature.ToLowerInvariant()))
        {
            problem = "replayed message (a signature already seen)";
            return null;
        }
        try
        {
            var message = new JupyterMessage(frames.Take(delimiter).ToList(), Object(header), Object(parent), Object(metadata), Object(content))
            {
                Buffers = frames.Skip(delimiter + 6).ToList(),
            };
            if (message.MsgType.Length == 0) { problem = "header has no msg_type"; return null; }
            problem = "";
            return message;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            problem = $"malformed JSON ({e.Message})";
            return null;
        }
    }

    private static byte[] Bytes(JsonObject part) => JsonSerializer.SerializeToUtf8Bytes(part, Json);

    private static JsonObject Object(byte[] part) =>
        JsonNode.Parse(part) as JsonObject ?? throw new FormatException("a message part is not a JSON object");
}
