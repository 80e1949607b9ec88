namespace Course.Data;

/// <summary>
/// A corpus could not be provided for a reason the user can fix (missing file, unknown name, failed download).
/// The message names the problem and the fix, so a command line prints it as is, without a stack trace.
/// </summary>
public sealed class CorpusException : UserError
{
    public CorpusException(string message) : base(message) { }
    public CorpusException(string message, Exception inner) : base(message, inner) { }
}
