using System.Text;
using System.Text.Json.Nodes;

namespace Course.Notebooks;

/// <summary>
/// The worker-to-runner messages: one JSON object per line on the worker's real stdout, after a marker. Lines
/// without the marker are output that bypassed Console (native libtorch writing to fd 1) and belong to the
/// running cell.
/// </summary>
internal sealed class WorkerChannel(Stream stdout)
{
    public const string Marker = "\u001e#course-notebook# ";

    private readonly StreamWriter _writer = new(stdout, new UTF8Encoding(false)) { AutoFlush = true };
    private readonly Lock _lock = new();

    public void Send(string kind, JsonObject body)
    {
        body["event"] = kind;
        var line = Marker + body.ToJsonString();
        // A cell's background threads may print while the main thread reports; one message per line, whole.
        lock (_lock) _writer.Write("\n" + line + "\n");
    }

    public static JsonObject? TryParse(string line) =>
        line.StartsWith(Marker, StringComparison.Ordinal) ? JsonNode.Parse(line[Marker.Length..])!.AsObject() : null;
}
