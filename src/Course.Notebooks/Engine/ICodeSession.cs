namespace Course.Notebooks.Engine;

/// <summary>
/// One notebook's code session: cells run in order and share their state. The headless runner's worker and the
/// Jupyter kernel both drive the same implementation, so a chapter behaves the same in both.
/// Positions are UTF-16 offsets into the code (the kernel converts Jupyter's code-point cursors).
/// </summary>
public interface ICodeSession
{
    /// <summary>Runs one cell. Cancelling <paramref name="interrupt"/> stops it at the next safe point (a loop
    /// iteration, a method entry or a blocking wait in the cell's code); the session stays usable.</summary>
    Task<CellOutcome> ExecuteAsync(string code, ICellOutput output, CancellationToken interrupt);

    /// <summary>Completions at <paramref name="cursor"/>, with the span of <paramref name="code"/> they replace.</summary>
    Task<CompletionAnswer> CompleteAsync(string code, int cursor, CancellationToken cancellation);

    /// <summary>What is known about the symbol at <paramref name="cursor"/>: its signature and documentation.</summary>
    Task<InspectionAnswer> InspectAsync(string code, int cursor, int detailLevel, CancellationToken cancellation);

    /// <summary>Whether <paramref name="code"/> is a complete submission (a console front end asks before running).</summary>
    IsCompleteAnswer IsComplete(string code);
}

public sealed record CompletionAnswer(IReadOnlyList<string> Matches, int CursorStart, int CursorEnd);

/// <summary><paramref name="Found"/> false means nothing is known there; <paramref name="PlainText"/> is shown as text/plain.</summary>
public sealed record InspectionAnswer(bool Found, string PlainText);

/// <summary>Jupyter's is_complete statuses: "complete", "incomplete" (with an indent for the next line), "invalid".</summary>
public sealed record IsCompleteAnswer(string Status, string Indent = "");
