using System.Text;
using System.Text.Json.Nodes;
using Course.Notebooks.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;

namespace Course.Notebooks.Kernel;

/// <summary>
/// TEMPORARY, TO BE REPLACED by the Roslyn-based CSharpSession (being written in parallel): the least
/// ICodeSession that lets the kernel and its protocol tests run. Cells continue one Roslyn script state;
/// Console output goes to the running cell; the last expression's value is shown as text/plain; compile errors
/// and exceptions are failed outcomes. It does not stop a busy loop on interrupt (Roslyn only checks the token
/// between submissions), offers no completions or inspection, and has no display() or course library.
/// </summary>
public sealed class ScriptSessionStub : ICodeSession
{
    private static readonly ScriptOptions Options = ScriptOptions.Default
        .AddReferences(typeof(Console).Assembly, typeof(Enumerable).Assembly, typeof(List<>).Assembly)
        .WithImports("System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Text", "System.Threading.Tasks")
        .WithEmitDebugInformation(true) // runtime errors get a line number in the cell
        .WithFileEncoding(Encoding.UTF8); // which debug information needs

    private ScriptState<object>? _state;
    private int _cells;
    private volatile ICellOutput? _current;

    public ScriptSessionStub()
    {
        // Console is process-wide: writers that forward to whichever cell is running (or to the real stream).
        var stdout = Console.Out;
        var stderr = Console.Error;
        Console.SetOut(new CellWriter(() => _current, "stdout", stdout));
        Console.SetError(new CellWriter(() => _current, "stderr", stderr));
        Console.SetIn(new CellReader(() => _current));
    }

    public async Task<CellOutcome> ExecuteAsync(string code, ICellOutput output, CancellationToken interrupt)
    {
        var cellFile = $"cell{++_cells}.csx";
        var options = Options.WithFilePath(cellFile);
        _current = output;
        try
        {
            _state = _state is null
                ? await CSharpScript.Create(code, options).RunAsync(null, _ => true, interrupt)
                : await _state.ContinueWithAsync(code, options, _ => true, interrupt);
            if (_state.Exception is { } exception) return Failed(exception, cellFile);
            return new CellOutcome.Completed(_state.ReturnValue is { } value ? new JsonObject { ["text/plain"] = Text(value) } : null);
        }
        catch (CompilationErrorException e)
        {
            return Failed(e, cellFile);
        }
        finally
        {
            Console.Out.Flush();
            _current = null;
        }
    }

    public Task<CompletionAnswer> CompleteAsync(string code, int cursor, CancellationToken cancellation) =>
        Task.FromResult(new CompletionAnswer([], cursor, cursor));

    public Task<InspectionAnswer> InspectAsync(string code, int cursor, int detailLevel, CancellationToken cancellation) =>
        Task.FromResult(new InspectionAnswer(false, ""));

    public IsCompleteAnswer IsComplete(string code)
    {
        var tree = CSharpSyntaxTree.ParseText(code, CSharpParseOptions.Default.WithKind(SourceCodeKind.Script));
        if (!SyntaxFactory.IsCompleteSubmission(tree)) return new IsCompleteAnswer("incomplete", "    ");
        return tree.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error) ? new IsCompleteAnswer("invalid") : new IsCompleteAnswer("complete");
    }

    private static CellOutcome Failed(Exception exception, string cellFile) => new CellOutcome.Failed(CellErrors.From(exception, cellFile));

    private static string Text(object value) =>
        value is IFormattable formattable ? formattable.ToString(null, System.Globalization.CultureInfo.InvariantCulture) : value.ToString() ?? "";

    /// <summary>Console.Out/Error: text goes to the running cell's stream, or to the process's own stream between cells.</summary>
    private sealed class CellWriter(Func<ICellOutput?> current, string name, TextWriter fallback) : TextWriter
    {
        public override Encoding Encoding => Encoding.UTF8;
        public override void Write(char value) => Write(value.ToString());
        public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));
        public override void Write(string? value)
        {
            if (string.IsNullOrEmpty(value)) return;
            if (current() is { } output) output.Stream(name, value);
            else fallback.Write(value);
        }
        public override void WriteLine(string? value) => Write(value + NewLine);
    }

    /// <summary>Console.In: each line asked of the front end; end of input when it cannot be asked.</summary>
    private sealed class CellReader(Func<ICellOutput?> current) : TextReader
    {
        public override string? ReadLine() => current()?.ReadLine("", false);
    }
}
