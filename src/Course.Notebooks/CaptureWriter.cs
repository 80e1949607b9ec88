using System.Text;
using System.Text.Json.Nodes;

namespace Course.Notebooks;

/// <summary>
/// Replaces Console.Out or Console.Error in the worker. Each write goes to the runner at once, so a long cell
/// that prints progress shows up live and keeps what it printed even if the runner must stop it.
/// </summary>
internal sealed class CaptureWriter(WorkerChannel channel, string streamName) : TextWriter
{
    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value) => Write(value.ToString());

    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    public override void Write(string? value)
    {
        if (string.IsNullOrEmpty(value)) return;
        channel.Send("stream", new JsonObject { ["name"] = streamName, ["text"] = value });
    }

    public override void WriteLine(string? value) => Write(value + NewLine);
}
