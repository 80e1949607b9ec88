namespace Course.Notebooks;

/// <summary>How <see cref="NotebookRunner"/> runs notebooks.</summary>
public sealed record RunOptions
{
    /// <summary>Where executed notebooks go (same file name); null writes them back in place.</summary>
    public string? OutputDirectory { get; init; }

    /// <summary>Overrides for the cell tagged "parameters" (papermill's -p Name=Value).</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();

    /// <summary>Longest a single cell may run before its notebook's worker process is killed.</summary>
    public TimeSpan CellTimeout { get; init; } = TimeSpan.FromSeconds(600);

    /// <summary>Receives the one-line summary per notebook and, with <see cref="Echo"/>, the cells' output live.</summary>
    public TextWriter? Log { get; init; }

    /// <summary>Keep running after a cell fails, recording its error (nbconvert's --allow-errors). Without it, only
    /// cells tagged raises-exception may fail.</summary>
    public bool AllowErrors { get; init; }

    /// <summary>Also copy what cells print to <see cref="Log"/> as they run (for long training notebooks).</summary>
    public bool Echo { get; init; }

    /// <summary>Parses papermill-style "Name=Value" pairs; throws naming a malformed one.</summary>
    public static IReadOnlyDictionary<string, string> ParseParameters(IEnumerable<string> pairs)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            var equals = pair.IndexOf('=');
            if (equals <= 0)
                throw new UserError($"Parameter '{pair}' is not Name=Value; write it like -p Steps=20.");
            result[pair[..equals].Trim()] = pair[(equals + 1)..];
        }
        return result;
    }
}
