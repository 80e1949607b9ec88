using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

using Course.Notebooks.Engine;

namespace Course.Notebooks;

/// <summary>
/// papermill's convention in C#: the cell tagged <c>parameters</c> declares the knobs with CPU-sized defaults;
/// a run's overrides go into a new cell tagged <c>injected-parameters</c> right after it, which assigns them.
/// </summary>
internal static partial class ParameterInjector
{
    public const string ParametersTag = "parameters";
    public const string InjectedTag = "injected-parameters";

    [GeneratedRegex(@"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")]
    private static partial Regex NumberPattern();

    /// <summary>Drops a previous run's injected cell, then injects <paramref name="overrides"/> (if any).</summary>
    public static void Apply(Notebook notebook, IReadOnlyDictionary<string, string> overrides)
    {
        notebook.Cells.RemoveAll(c => c.HasTag(InjectedTag));
        if (overrides.Count == 0) return;

        int index = notebook.Cells.FindIndex(c => c.IsCode && c.HasTag(ParametersTag));
        if (index < 0)
            throw new NotebookException(
                $"Parameters were given ({string.Join(", ", overrides.Keys)}) but no code cell is tagged '{ParametersTag}'. " +
                $"Tag the cell that declares them with '{ParametersTag}' (cell metadata \"tags\": [\"{ParametersTag}\"]).");

        var declared = Declarations(CellSource.ToCSharp(notebook.Cells[index].Source, $"Cell {index + 1}"));
        var code = new StringBuilder("// Injected by the notebook runner from its -p options; overrides the cell tagged 'parameters' above.\n");
        foreach (var (name, value) in overrides)
        {
            if (!declared.TryGetValue(name, out var type))
                throw new NotebookException(
                    $"Parameter '{name}' is not declared in the notebook's parameters cell (cell {index + 1}), which declares: " +
                    $"{(declared.Count == 0 ? "nothing" : string.Join(", ", declared.Keys))}. Check the spelling (names are case-sensitive).");
            code.Append($"{name} = {Literal(value, type)};\n");
        }

        var cell = new NotebookCell(NotebookBuilder.CodeCell(code.ToString(), [InjectedTag]));
        // nbformat 4.5 requires an id on every cell; older minors forbid one.
        if (notebook.Cells.Any(c => c.Json.ContainsKey("id")))
            cell.Json["id"] = Guid.NewGuid().ToString("N")[..8];
        notebook.Cells.Insert(index + 1, cell);
    }

    /// <summary>Top-level variables of the parameters cell and their declared type (null for <c>var</c>).</summary>
    internal static Dictionary<string, string?> Declarations(string code)
    {
        var root = (CompilationUnitSyntax)CSharpSyntaxTree.ParseText(code, new CSharpParseOptions(kind: SourceCodeKind.Script)).GetRoot();
        var declarations = root.Members.Select(m => m switch
        {
            FieldDeclarationSyntax field => field.Declaration,
            GlobalStatementSyntax { Statement: LocalDeclarationStatementSyntax local } => local.Declaration,
            _ => null,
        }).OfType<VariableDeclarationSyntax>();
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var declaration in declarations)
            foreach (var variable in declaration.Variables)
                result[variable.Identifier.ValueText] = declaration.Type.IsVar ? null : declaration.Type.ToString();
        return result;
    }

    /// <summary>
    /// The C# literal for a command-line value: true/false as bool, numbers as written (with the suffix a
    /// float or decimal variable needs), anything else, or anything for a string variable, as a string literal.
    /// </summary>
    internal static string Literal(string value, string? declaredType)
    {
        bool isString = declaredType is "string" or "String" or "string?";
        if (!isString && value is "true" or "false") return value;
        if (!isString && NumberPattern().IsMatch(value))
        {
            bool fractional = value.IndexOfAny(['.', 'e', 'E']) >= 0;
            return declaredType switch
            {
                "float" or "Single" when fractional => value + "f",
                "decimal" or "Decimal" => value + "m",
                _ => value,
            };
        }
        return SymbolDisplay.FormatLiteral(value, quote: true);
    }
}
