using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Course.Notebooks.Engine;

namespace Course.Notebooks;

/// <summary>
/// Writes a notebook's code as a .NET 10 file-based app (<c>dotnet run chapter.cs</c>), for readers who prefer
/// an editor to a notebook: NuGet references become <c>#:package</c>, a reference to a project's built assembly
/// becomes <c>#:project</c>, markdown becomes comments.
/// </summary>
public static class NotebookExporter
{
    private const string FormattingAssembly = "Microsoft.DotNet.Interactive.Formatting";

    /// <summary>Exports <paramref name="notebookPath"/> to <paramref name="outputPath"/> (default: beside it, .cs).
    /// Returns the path written; throws <see cref="NotebookException"/> for what a file-based app cannot express.</summary>
    public static string Export(string notebookPath, string? outputPath = null)
    {
        outputPath ??= Path.ChangeExtension(notebookPath, ".cs");
        var notebook = Notebook.Load(notebookPath);
        var text = ToFileBasedApp(notebook, Path.GetFileName(notebookPath),
            Path.GetDirectoryName(Path.GetFullPath(notebookPath))!, Path.GetDirectoryName(Path.GetFullPath(outputPath))!);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outputPath))!);
        File.WriteAllText(outputPath, text);
        return outputPath;
    }

    internal static string ToFileBasedApp(Notebook notebook, string name, string notebookDirectory, string outputDirectory)
    {
        var catalog = PackageCatalog.Current;
        var directives = new List<string>();
        var available = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var usings = new List<string>();
        var body = new StringBuilder();
        var types = new StringBuilder();

        for (int index = 0; index < notebook.Cells.Count; index++)
        {
            var cell = notebook.Cells[index];
            var where = $"Cell {index + 1}";
            if (cell.CellType == "markdown")
            {
                body.AppendLine(string.Join('\n', cell.Source.TrimEnd().Split('\n').Select(l => ("// " + l).TrimEnd()))).AppendLine();
                continue;
            }
            // Injected parameters belong to one run, not to the program.
            if (!cell.IsCode || cell.HasTag(ParameterInjector.InjectedTag) || string.IsNullOrWhiteSpace(cell.Source)) continue;

            var code = CellSource.ToCSharp(cell.Source, where);
            var found = Directive.Find(code).ToList();
            foreach (var directive in found)
                directives.Add(Translate(directive, where, catalog, notebookDirectory, outputDirectory, available));
            SplitCell(Directive.Blank(code, found), usings, body, types);
        }

        var text = new StringBuilder();
        foreach (var directive in directives.Distinct()) text.AppendLine(directive);
        // Exported inside a repository with central package management (this course's own), a #:package with a
        // version fails to restore (NU1008); the app pins its own versions instead.
        if (directives.Any(d => d.StartsWith("#:package ", StringComparison.Ordinal))) text.AppendLine("#:property ManagePackageVersionsCentrally=false");
        // File-based apps default to PublishAot, which turns off reflection-based JSON; the course library and
        // TorchSharp use it (catalog, checkpoints), and a chapter is run, not published.
        text.AppendLine("#:property PublishAot=false");
        text.AppendLine($"// {name}, exported by Course.Notebooks as a file-based app. Run it with: dotnet run {Path.GetFileNameWithoutExtension(name)}.cs");
        text.AppendLine("// Notebook cells share one scope here: a variable declared again in a later cell needs a new name.");
        foreach (var import in ScriptEnvironment.DefaultImports)
            text.AppendLine($"using {import};");
        foreach (var import in usings.Distinct()) text.AppendLine(import);
        text.AppendLine().Append(body);
        // The notebook globals as local functions, only where used (an unused one is a compiler warning).
        var program = body.ToString() + types;
        // display prints what a notebook would show as text: through the formatters the notebook registered, when
        // the app has the formatting library (the course library brings it).
        if (program.Contains("display("))
            text.AppendLine(available.Contains(FormattingAssembly)
                ? $"static void display(object? value) => Console.WriteLine({FormattingAssembly}.Formatter.ToDisplayString(value, \"text/plain\"));"
                : "static void display(object? value) => Console.WriteLine(value);");
        if (program.Contains("HTML("))
            text.AppendLine("static string HTML(string markup) => markup;");
        if (types.Length > 0) text.AppendLine().Append(types);
        return text.ToString();
    }

    private static string Translate(Directive directive, string where, PackageCatalog catalog, string notebookDirectory, string outputDirectory, HashSet<string> available)
    {
        switch (directive)
        {
            case Directive.NuGet nuget:
                var version = catalog.PinnedVersion(nuget.Name, nuget.Version);
                available.UnionWith(catalog.AssembliesOf(nuget.Name));
                return $"#:package {catalog.CanonicalName(nuget.Name)}@{version}";
            case Directive.Reference reference:
                var dll = Path.GetFullPath(Path.Combine(notebookDirectory, reference.Path));
                var project = FindProject(dll)
                    ?? throw new NotebookException(
                        $"{where}, line {reference.Line}: #r \"{reference.Path}\" names an assembly, but a file-based app can only reference " +
                        $"packages and projects, and no {Path.GetFileNameWithoutExtension(dll)}.csproj was found above {dll}. Reference a NuGet package instead.");
                // A project brings its own packages, so everything the runner knows is available through it.
                available.Add(Path.GetFileNameWithoutExtension(dll));
                available.UnionWith(catalog.AllAssemblies());
                return $"#:project {Path.GetRelativePath(outputDirectory, project).Replace('\\', '/')}";
            case Directive.Load load:
                throw new NotebookException(
                    $"{where}, line {load.Line}: #load \"{load.Path}\" cannot be exported, because a file-based app has no #load. " +
                    "Move that code into the course library (src/Course) or into the notebook.");
            default:
                throw new InvalidOperationException($"Unknown directive {directive}.");
        }
    }

    /// <summary>The project that builds <paramref name="dll"/>: X.csproj in a folder above bin/.../X.dll.</summary>
    private static string? FindProject(string dll)
    {
        var projectFile = Path.GetFileNameWithoutExtension(dll) + ".csproj";
        for (var directory = Path.GetDirectoryName(dll); directory is not null; directory = Path.GetDirectoryName(directory))
        {
            var candidate = Path.Combine(directory, projectFile);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    /// <summary>
    /// Sorts a cell's code into what C# requires in separate places of one file: using directives first, type
    /// declarations after all top-level statements, the rest in order. A trailing expression (a notebook shows
    /// its value) becomes display(expression);.
    /// </summary>
    private static void SplitCell(string code, List<string> usings, StringBuilder body, StringBuilder types)
    {
        var root = (CompilationUnitSyntax)CSharpSyntaxTree.ParseText(code, new CSharpParseOptions(kind: SourceCodeKind.Script)).GetRoot();
        usings.AddRange(root.Usings.Select(u => u.ToString()));
        var cell = new StringBuilder();
        foreach (var member in root.Members)
        {
            if (member is BaseTypeDeclarationSyntax or DelegateDeclarationSyntax or BaseNamespaceDeclarationSyntax)
                types.AppendLine(member.ToFullString().Trim());
            else if (member is GlobalStatementSyntax { Statement: ExpressionStatementSyntax { SemicolonToken.IsMissing: true } trailing })
                cell.Append(trailing.GetLeadingTrivia().ToFullString()).AppendLine($"display({trailing.Expression});");
            else
                cell.Append(member.ToFullString());
        }
        cell.Append(root.EndOfFileToken.LeadingTrivia.ToFullString());
        var cellText = cell.ToString().Trim('\r', '\n');
        if (cellText.Length > 0) body.AppendLine(cellText).AppendLine();
    }
}
