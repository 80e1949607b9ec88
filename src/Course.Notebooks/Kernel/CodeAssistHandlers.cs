using System.Text.Json.Nodes;
using Course.Notebooks.Engine;

namespace Course.Notebooks.Kernel;

/// <summary>
/// The requests an editor sends while the user types: is_complete, complete_request and inspect_request.
/// Cursor positions cross here between Jupyter's code points and the session's UTF-16 offsets.
/// </summary>
internal sealed class CodeAssistHandlers(ICodeSession session)
{
    // An editor request must not hold the shell thread for ever. The first one may wait for the IDE services to load
    // (about 2 s on an idle 2-core machine, many times that on a loaded one), later ones take milliseconds.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public JsonObject IsComplete(JsonObject request)
    {
        var answer = session.IsComplete(ContentFields.Text(request, "code"));
        var reply = new JsonObject { ["status"] = answer.Status };
        if (answer.Status == "incomplete") reply["indent"] = answer.Indent;
        return reply;
    }

    public JsonObject Complete(JsonObject request)
    {
        var code = ContentFields.Text(request, "code");
        var cursor = CodePoints.ToUtf16(code, ContentFields.Number(request, "cursor_pos", int.MaxValue));
        using var timeout = new CancellationTokenSource(Patience);
        var answer = session.CompleteAsync(code, cursor, timeout.Token).GetAwaiter().GetResult();
        return new JsonObject
        {
            ["status"] = "ok",
            ["matches"] = new JsonArray(answer.Matches.Select(m => (JsonNode?)JsonValue.Create(m)).ToArray()),
            ["cursor_start"] = CodePoints.FromUtf16(code, answer.CursorStart),
            ["cursor_end"] = CodePoints.FromUtf16(code, answer.CursorEnd),
            ["metadata"] = new JsonObject(),
        };
    }

    public JsonObject Inspect(JsonObject request)
    {
        var code = ContentFields.Text(request, "code");
        var cursor = CodePoints.ToUtf16(code, ContentFields.Number(request, "cursor_pos", int.MaxValue));
        using var timeout = new CancellationTokenSource(Patience);
        var answer = session.InspectAsync(code, cursor, ContentFields.Number(request, "detail_level", 0), timeout.Token).GetAwaiter().GetResult();
        return new JsonObject
        {
            ["status"] = "ok",
            ["found"] = answer.Found,
            ["data"] = answer.Found ? new JsonObject { ["text/plain"] = answer.PlainText } : new JsonObject(),
            ["metadata"] = new JsonObject(),
        };
    }
}
