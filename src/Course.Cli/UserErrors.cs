using System.CommandLine;
using System.Reflection;
using System.Text.RegularExpressions;

namespace Course.Cli;

/// <summary>
/// How the command line ends on an error. A <see cref="UserError"/> (a bad option, a missing or damaged file, a folder
/// in use) or a command line that does not parse prints one line, "error: ...", and exits 1. Anything else is a bug:
/// it prints a short line naming the log file that holds the stack trace, and exits 2.
/// </summary>
public static partial class UserErrors
{
    public const int ExitUserError = 1, ExitBug = 2, ExitInterrupted = 130;

    /// <summary>Where crash logs go: COURSE_LOG_DIR when set, else the system's temporary folder.</summary>
    public const string LogDirectoryVariable = "COURSE_LOG_DIR";

    public static int Run(RootCommand root, string[] args)
    {
        try
        {
            var parse = root.Parse(args);
            if (parse.Errors.Count > 0)
            {
                var command = string.Join(' ', parse.CommandResult.Command.Name == root.Name ? [] : CommandPath(parse.CommandResult));
                return Fail($"{Friendly(parse.Errors[0].Message)} See `course {command}{(command.Length > 0 ? " " : "")}--help`.");
            }
            // System.CommandLine's own handler would print a stack trace; errors reach the handlers below instead.
            return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception thrown)
        {
            var e = Unwrap(thrown);
            if (e is UserError) return Fail(e.Message);
            // A full disk or a quota is the machine's state, not a bug: say so and how to fix it.
            if (e is IOException io && (io.HResult & 0xFFFF) is 28 or 122)
                return Fail($"The disk is full ({io.Message}). Free some space, or choose a folder on another disk; what was saved before is intact.");
            var log = WriteLog(e, args);
            Console.Error.WriteLine($"internal error: {e.GetType().Name}: {FirstLine(e.Message)}");
            Console.Error.WriteLine($"This is a bug in the course, not in what you typed. The details (stack trace) are in {log}; please report it with that file.");
            return ExitBug;
        }
    }

    private static int Fail(string message)
    {
        // Plain stderr, one line: Spectre would wrap a long message at its console width, splitting paths and names.
        Console.Error.WriteLine($"error: {message.ReplaceLineEndings(" ")}");
        return ExitUserError;
    }

    private static IEnumerable<string> CommandPath(System.CommandLine.Parsing.SymbolResult? result)
    {
        var names = new Stack<string>();
        for (var r = result; r is System.CommandLine.Parsing.CommandResult c && c.Parent is not null; r = r.Parent) names.Push(c.Command.Name);
        return names;
    }

    /// <summary>System.CommandLine names .NET types in its messages ("System.Nullable`1[System.Int32]"); say what is meant.</summary>
    private static string Friendly(string message) => ExpectedType().Replace(message, m => $"as {TypeName(m.Groups[1].Value)}");

    private static string TypeName(string type) => type switch
    {
        var t when t.Contains("Int32") => "a whole number up to 2,147,483,647",
        var t when t.Contains("UInt64") => "a whole number ≥ 0",
        var t when t.Contains("Int64") => "a whole number",
        var t when t.Contains("Double") => "a number",
        var t when t.Contains("Boolean") => "true or false",
        var t => t[(t.LastIndexOfAny(['.', '[']) + 1)..].TrimEnd(']'),
    };

    [GeneratedRegex(@"as expected type '([^']+)'")]
    private static partial Regex ExpectedType();

    private static Exception Unwrap(Exception e) => e switch
    {
        AggregateException { InnerExceptions.Count: 1 } a => Unwrap(a.InnerExceptions[0]),
        TargetInvocationException { InnerException: { } inner } => Unwrap(inner),
        _ => e,
    };

    private static string FirstLine(string text) => text.Split('\n')[0].Trim();

    private static string WriteLog(Exception e, string[] args)
    {
        var directory = Environment.GetEnvironmentVariable(LogDirectoryVariable) is { Length: > 0 } d ? d : Path.Combine(Path.GetTempPath(), "course-logs");
        var path = Path.Combine(directory, $"crash-{DateTime.Now:yyyyMMdd-HHmmss}-{Environment.ProcessId}.log");
        try
        {
            Directory.CreateDirectory(directory);
            File.WriteAllText(path, $"course {string.Join(' ', args)}\n{DateTimeOffset.Now:O}\n.NET {Environment.Version}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}\n\n{e}\n");
            return path;
        }
        catch (Exception) // an unwritable log folder must not hide the bug itself
        {
            Console.Error.WriteLine(e.ToString());
            return "(the log could not be written; the trace is above)";
        }
    }
}
