using System.Text.Json.Nodes;

namespace Course.Notebooks.Engine;

/// <summary>How a cell ended: with an optional value to show (execute_result's MIME bundle), or with an error.</summary>
public abstract record CellOutcome
{
    public sealed record Completed(JsonObject? Result) : CellOutcome;

    public sealed record Failed(CellFailure Error) : CellOutcome;
}

/// <summary>An error as Jupyter shows it (ename, evalue, traceback), plus the 1-based line within the cell when known.</summary>
public sealed record CellFailure(string Name, string Message, IReadOnlyList<string> Traceback, int? Line);
