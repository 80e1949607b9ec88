using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Scripting;

namespace Course.Notebooks;

/// <summary>
/// A failed cell as an nbformat error output (ename, evalue, traceback) plus the 1-based line within the cell,
/// found from the compiler's diagnostics or from the stack frames that point into the cell's code.
/// </summary>
internal static class CellError
{
    public static JsonObject From(Exception exception, string cellFile) => exception switch
    {
        CompilationErrorException compile => Compile(compile),
        NotebookException notebook => Build("NotebookError", notebook.Message, null, [notebook.Message]),
        _ => Runtime(exception, cellFile),
    };

    private static JsonObject Compile(CompilationErrorException exception)
    {
        var errors = exception.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        var first = errors.FirstOrDefault();
        int? line = first?.Location.IsInSource == true ? first.Location.GetLineSpan().StartLinePosition.Line + 1 : null;
        var traceback = errors.Select(d => $"line {d.Location.GetLineSpan().StartLinePosition.Line + 1}: {d.Id}: {d.GetMessage()}").ToList();
        var message = first is null ? exception.Message : $"{first.Id}: {first.GetMessage()}";
        return Build("CompilationError", message, line, traceback);
    }

    private static JsonObject Runtime(Exception exception, string cellFile)
    {
        // The innermost frame inside the cell is where the cell's own code failed (deeper frames are library code).
        var line = new StackTrace(exception, fNeedFileInfo: true).GetFrames()
            .Where(f => string.Equals(f.GetFileName(), cellFile, StringComparison.Ordinal) && f.GetFileLineNumber() > 0)
            .Select(f => (int?)f.GetFileLineNumber())
            .FirstOrDefault();
        // Frames below the cell are Roslyn's script machinery, noise to a notebook reader.
        var traceback = exception.ToString().Split('\n').Select(l => l.TrimEnd('\r'))
            .TakeWhile(l => !l.Contains("Microsoft.CodeAnalysis.Scripting.") && !l.StartsWith("--- End of stack trace")).ToList();
        return Build(exception.GetType().Name, exception.Message, line, traceback);
    }

    private static JsonObject Build(string name, string message, int? line, IEnumerable<string> traceback) => new()
    {
        ["output_type"] = "error",
        ["ename"] = name,
        ["evalue"] = message,
        ["traceback"] = NbJson.Strings(traceback),
        ["line"] = line,
    };
}
