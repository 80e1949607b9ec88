using Course.Data;
using Course.Notebooks;

namespace Course.Cli;

/// <summary>
/// Turns the errors a user can cause (bad options, missing or damaged files, unwritable folders) into one clear
/// line and exit code 1, without a stack trace. Anything else is a bug and keeps its stack trace.
/// </summary>
public static class UserErrors
{
    public const int ExitUserError = 1, ExitInterrupted = 130;

    public static int Run(Func<int> command)
    {
        try
        {
            return command();
        }
        catch (Exception e) when (e is ArgumentException or CorpusException or NotebookException or InvalidDataException or IOException or UnauthorizedAccessException)
        {
            // Plain stderr: Spectre would wrap a long message at its console width, splitting paths and names.
            Console.Error.WriteLine($"error: {e.Message}");
            return ExitUserError;
        }
    }
}
