namespace Course;

/// <summary>
/// A problem the user caused and can fix: a bad option, a missing or damaged file, a folder in use. Its message
/// names the problem and the fix, so the command line prints it as one line and exits 1. Every other exception is a
/// bug and is reported as one (exit 2, with its stack trace kept in a log file).
/// </summary>
public class UserError : Exception
{
    public UserError(string message) : base(message) { }
    public UserError(string message, Exception inner) : base(message, inner) { }
}
