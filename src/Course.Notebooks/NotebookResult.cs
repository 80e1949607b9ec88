namespace Course.Notebooks;

public enum NotebookStatus { Succeeded, Failed, TimedOut }

/// <summary>Where and why a notebook stopped.</summary>
/// <param name="CellNumber">1-based among all cells of the executed notebook (markdown included).</param>
/// <param name="CodeCellNumber">1-based among its code cells, or null when no cell was running.</param>
/// <param name="Line">1-based line within the cell, when known.</param>
public sealed record NotebookFailure(int? CellNumber, int? CodeCellNumber, int? Line, string Kind, string Message)
{
    public string Describe(string path)
    {
        var where = CellNumber is null ? path : $"{path}: cell {CellNumber} (code cell {CodeCellNumber})";
        if (Line is not null) where += $", line {Line}";
        return $"{where}: {Kind}: {Message}";
    }
}

/// <summary>The outcome of running one notebook.</summary>
public sealed record NotebookResult(
    string Path, string OutputPath, NotebookStatus Status, int CodeCellsRun, int CodeCellCount, TimeSpan Duration,
    NotebookFailure? Failure)
{
    public bool Succeeded => Status == NotebookStatus.Succeeded;

    /// <summary>One line: path, cells run, time, status (and where it failed).</summary>
    public string Summary =>
        $"{Path}: {CodeCellsRun}/{CodeCellCount} code cells in {Duration.TotalSeconds:0.0} s, " +
        (Failure is null ? "ok" : $"{Status.ToString().ToLowerInvariant()} - {Failure.Describe(Path)}");
}
