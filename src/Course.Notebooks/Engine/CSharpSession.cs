using System.Text.Json.Nodes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Completion;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Scripting;
using Microsoft.DotNet.Interactive.Formatting;

namespace Course.Notebooks.Engine;

/// <summary>
/// C# cells on Roslyn scripting, each continuing the state of the ones before, on one thread (<see cref="CellThread"/>),
/// with Console and <c>display</c> routed to the running cell's output. The headless runner's worker and the Jupyter
/// kernel both use it, so a chapter behaves the same in both. One per process: Console and the Formatter are global.
/// </summary>
public sealed class CSharpSession : ICodeSession, IDisposable
{
    private readonly string _directory;
    private readonly ScriptEnvironment _environment;
    private readonly NotebookGlobals _globals;
    private readonly ConsoleRouter _console = new();
    private readonly CellThread _thread = new();
    private readonly SubmissionWorkspace _workspace = new();
    private readonly IDisposable _displays;
    private ScriptState<object>? _state;
    private int _cells;

    /// <param name="directory">The notebook's folder: where relative paths in cells and directives start.</param>
    public CSharpSession(string directory)
    {
        _directory = directory;
        _environment = new ScriptEnvironment(directory, PackageCatalog.Current);
        _globals = new NotebookGlobals(Show);
        // Values shown through the Formatting library itself: value.Display(), and DisplayedValue.Update.
        _displays = Formatter.SubscribeToDisplayedValues(Show);
    }

    private void Show(DisplayedValue shown) =>
        _console.Current?.Display(MimeBundle.From(shown.FormattedValues, shown.Value), new JsonObject(), shown.DisplayId, shown.IsUpdated);

    /// <summary>Loads the compiler and the default references and compiles through the continuation path, so the
    /// first cell's time (and timeout) measures the cell, not Roslyn's start-up.</summary>
    public Task WarmUpAsync() => _thread.Run(() =>
    {
        var (_, options) = _environment.Prepare("", Path.Combine(_directory, "warm-up.csx"));
        var state = CSharpScript.RunAsync("", options, _globals).GetAwaiter().GetResult();
        return state.ContinueWithAsync("System.Linq.Enumerable.Range(0, 2).Select(i => i.ToString()).Count()", options).GetAwaiter().GetResult();
    });

    /// <summary>Loads the IDE services behind completion and documentation (a second or two of work), so the first
    /// Tab in a front end answers at once rather than after its time limit. Only an interactive kernel needs it.</summary>
    public Task WarmUpAssistanceAsync() => Task.Run(() => CompleteAsync("", 0, CancellationToken.None));

    public Task<CellOutcome> ExecuteAsync(string code, ICellOutput output, CancellationToken interrupt)
    {
        var number = Interlocked.Increment(ref _cells);
        return _thread.Run(() => Execute(code, number, output), interrupt);
    }

    private CellOutcome Execute(string code, int number, ICellOutput output)
    {
        _console.Current = output;
        // The file name ties stack frames to this cell, for the error's line number.
        var cellFile = Path.Combine(_directory, $"cell{number}.csx");
        try
        {
            var (prepared, options) = _environment.Prepare(CellSource.ToCSharp(code, $"Cell {number}"), cellFile);
            var guarded = InterruptRewriter.Rewrite(prepared, ScriptEnvironment.ParseOptions);
            _state = (_state is null ? CSharpScript.RunAsync(guarded, options, _globals) : _state.ContinueWithAsync(guarded, options))
                .GetAwaiter().GetResult();
            _workspace.Add(prepared, _environment.References);
            return new CellOutcome.Completed(EndsWithExpression(prepared) && _state.ReturnValue is { } value ? MimeBundle.Of(value) : null);
        }
        catch (Exception e)
        {
            return new CellOutcome.Failed(CellErrors.From(e, cellFile));
        }
    }

    /// <summary>Whether the cell ends with an expression and no semicolon, which makes its value the cell's result.</summary>
    private static bool EndsWithExpression(string code) =>
        SyntaxFactory.ParseCompilationUnit(code, options: ScriptEnvironment.ParseOptions).Members.LastOrDefault()
            is GlobalStatementSyntax { Statement: ExpressionStatementSyntax { SemicolonToken.IsMissing: true } };

    public async Task<CompletionAnswer> CompleteAsync(string code, int cursor, CancellationToken cancellation)
    {
        var document = _workspace.Working(Directive.Blank(code, Directive.Find(code).ToList()), _environment.References);
        var service = CompletionService.GetService(document);
        var completions = service is null ? null : await service.GetCompletionsAsync(document, cursor, cancellationToken: cancellation);
        if (completions is null) return new CompletionAnswer([], cursor, cursor);
        var span = completions.Span;
        var typed = code[span.Start..cursor];
        var matches = completions.ItemsList
            .Where(i => i.FilterText.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
            .OrderBy(i => !i.FilterText.StartsWith(typed, StringComparison.Ordinal)).ThenBy(i => i.SortText, StringComparer.Ordinal)
            .Select(i => i.DisplayText)
            .Distinct()
            .ToList();
        return new CompletionAnswer(matches, span.Start, span.End);
    }

    public async Task<InspectionAnswer> InspectAsync(string code, int cursor, int detailLevel, CancellationToken cancellation)
    {
        var document = _workspace.Working(Directive.Blank(code, Directive.Find(code).ToList()), _environment.References);
        var model = await document.GetSemanticModelAsync(cancellation);
        var root = await document.GetSyntaxRootAsync(cancellation);
        if (model is null || root is null || code.Length == 0) return new InspectionAnswer(false, "");
        // The cursor usually sits just after the name being asked about.
        var token = root.FindToken(Math.Clamp(cursor - 1, 0, code.Length - 1));
        var node = token.Parent;
        var info = node is null ? default : model.GetSymbolInfo(node, cancellation);
        var symbols = info.Symbol is { } symbol ? [symbol]
            : info.CandidateSymbols.Length > 0 ? info.CandidateSymbols.ToList()
            : node is not null && (model.GetDeclaredSymbol(node, cancellation) ?? model.GetTypeInfo(node, cancellation).Type) is { } other ? [other]
            : new List<ISymbol>();
        if (symbols.Count == 0) return new InspectionAnswer(false, "");
        var signatures = string.Join('\n', symbols.Select(s => s.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat)));
        var documentation = Documentation.Describe(symbols[0], detail: detailLevel > 0);
        return new InspectionAnswer(true, documentation.Length == 0 ? signatures : $"{signatures}\n\n{documentation}");
    }

    public IsCompleteAnswer IsComplete(string code)
    {
        var tree = SyntaxFactory.ParseSyntaxTree(CellSource.ToCSharp(code, "The cell"), ScriptEnvironment.ParseOptions);
        if (!SyntaxFactory.IsCompleteSubmission(tree))
            return new IsCompleteAnswer("incomplete", OpenBlocks(tree) > 0 ? "    " : "");
        return tree.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error)
            ? new IsCompleteAnswer("invalid")
            : new IsCompleteAnswer("complete");
    }

    private static int OpenBlocks(SyntaxTree tree) =>
        tree.GetRoot().DescendantTokens().Count(t => t.IsKind(SyntaxKind.OpenBraceToken))
        - tree.GetRoot().DescendantTokens().Count(t => t.IsKind(SyntaxKind.CloseBraceToken) && !t.IsMissing);

    public void Dispose()
    {
        _displays.Dispose();
        _thread.Dispose();
        _console.Dispose();
    }
}
