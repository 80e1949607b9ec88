using System.Diagnostics;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Scripting;

namespace Course.Notebooks.Engine;

/// <summary>
/// A failed cell as Jupyter shows it (ename, evalue, traceback) plus the 1-based line within the cell, found from
/// the compiler's diagnostics or from the stack frames that point into the cell's code.
/// </summary>
internal static class CellErrors
{
    public static CellFailure From(Exception exception, string cellFile) => Unwrap(exception) switch
    {
        CompilationErrorException compile => Compile(compile),
        NotebookException notebook => new CellFailure("NotebookError", notebook.Message, [notebook.Message], null),
        CellInterruptedException or ThreadInterruptedException => Interrupted(),
        // A wait the interrupt cancelled, such as Console.ReadLine asking the front end.
        OperationCanceledException when CellInterrupt.Requested => Interrupted(),
        var other => Runtime(other, cellFile),
    };

    private static Exception Unwrap(Exception exception) => exception switch
    {
        AggregateException { InnerExceptions.Count: 1 } aggregate => Unwrap(aggregate.InnerExceptions[0]),
        TargetInvocationException { InnerException: { } inner } => Unwrap(inner),
        _ => exception,
    };

    public static CellFailure Interrupted()
    {
        var message = new CellInterruptedException().Message;
        return new CellFailure(nameof(CellInterruptedException), message, [$"{nameof(CellInterruptedException)}: {message}"], null);
    }

    private static CellFailure Compile(CompilationErrorException exception)
    {
        var errors = exception.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        var first = errors.FirstOrDefault();
        int? line = first?.Location.IsInSource == true ? first.Location.GetLineSpan().StartLinePosition.Line + 1 : null;
        var traceback = errors.Select(d => $"line {d.Location.GetLineSpan().StartLinePosition.Line + 1}: {d.Id}: {d.GetMessage()}").ToList();
        var message = first is null ? exception.Message : $"{first.Id}: {first.GetMessage()}";
        return new CellFailure("CompilationError", message, traceback, line);
    }

    private static CellFailure Runtime(Exception exception, string cellFile)
    {
        // The innermost frame inside the cell is where the cell's own code failed (deeper frames are library code).
        var line = new StackTrace(exception, fNeedFileInfo: true).GetFrames()
            .Where(f => string.Equals(f.GetFileName(), cellFile, StringComparison.Ordinal) && f.GetFileLineNumber() > 0)
            .Select(f => (int?)f.GetFileLineNumber())
            .FirstOrDefault();
        // Frames below the cell are Roslyn's script machinery, noise to a notebook reader.
        var traceback = exception.ToString().Split('\n').Select(l => l.TrimEnd('\r'))
            .TakeWhile(l => !l.Contains("Microsoft.CodeAnalysis.Scripting.") && !l.StartsWith("--- End of stack trace")).ToList();
        return new CellFailure(exception.GetType().Name, exception.Message, traceback, line);
    }
}
