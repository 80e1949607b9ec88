using System.Reflection;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;
using Microsoft.DotNet.Interactive.Formatting;

namespace Course.Notebooks.Engine;

/// <summary>
/// What a notebook's code sees: what .NET Interactive's C# kernel gives every cell (the framework, its default
/// imports, the formatting library behind <c>display</c>), plus the references the notebook's own <c>#r</c>
/// directives add. Nothing else: a chapter that runs here names everything it needs, so it runs there too.
/// Paths in directives are relative to the notebook's folder.
/// </summary>
internal sealed class ScriptEnvironment
{
    /// <summary>The namespaces .NET Interactive's C# kernel imports into every cell.</summary>
    public static readonly IReadOnlyList<string> DefaultImports =
        ["System", "System.Text", "System.Collections", "System.Collections.Generic", "System.Threading.Tasks", "System.Linq"];

    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest, DocumentationMode.Parse, SourceCodeKind.Script);

    private static readonly Dictionary<string, string> TrustedAssemblies =
        ((AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string) ?? "")
        .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .GroupBy(p => Path.GetFileNameWithoutExtension(p), StringComparer.OrdinalIgnoreCase)
        .ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);

    private readonly PackageCatalog _catalog;
    private ScriptOptions _options;

    public ScriptEnvironment(string baseDirectory, PackageCatalog catalog)
    {
        _catalog = catalog;
        _options = ScriptOptions.Default
            .WithReferences(FrameworkReferences())
            // As loaded assemblies, so values that cross between cells and the engine have one identity: the
            // formatting library behind display(), and this engine, which holds the cells' globals and the interrupt
            // check compiled into them.
            .AddReferences(typeof(Formatter).Assembly, typeof(Microsoft.AspNetCore.Html.IHtmlContent).Assembly, typeof(ScriptEnvironment).Assembly)
            .WithImports(DefaultImports)
            .WithLanguageVersion(LanguageVersion.Latest)
            .WithMetadataResolver(ScriptMetadataResolver.Default.WithBaseDirectory(baseDirectory))
            .WithSourceResolver(ScriptSourceResolver.Default.WithBaseDirectory(baseDirectory))
            // Debug information gives runtime errors a line number within the cell.
            .WithEmitDebugInformation(true)
            .WithFileEncoding(Encoding.UTF8)
            .WithOptimizationLevel(OptimizationLevel.Release)
            .WithAllowUnsafe(true);
    }

    /// <summary>The references every cell has now (the defaults and what directives added so far).</summary>
    public IEnumerable<MetadataReference> References => _options.MetadataReferences;

    /// <summary>
    /// Turns a cell's directives into references: NuGet packages map to the runner's own copies of the pinned
    /// packages, and a <c>#r</c> of an assembly the runner already has (such as ../src/Course/bin/.../Course.dll)
    /// maps to that copy, so a notebook never holds two Course.Tensor-style types that do not convert.
    /// Other directives stay for Roslyn to resolve against the notebook folder.
    /// </summary>
    public (string Code, ScriptOptions Options) Prepare(string code, string cellFile)
    {
        var handled = new List<Directive>();
        foreach (var directive in Directive.Find(code))
        {
            switch (directive)
            {
                case Directive.NuGet nuget:
                    _catalog.PinnedVersion(nuget.Name, nuget.Version);
                    _options = _options.AddReferences(_catalog.AssembliesOf(nuget.Name).Select(LoadRunnerAssembly).OfType<Assembly>());
                    handled.Add(directive);
                    break;
                case Directive.Reference reference when LoadRunnerAssembly(Path.GetFileNameWithoutExtension(reference.Path)) is { } loaded:
                    _options = _options.AddReferences(loaded);
                    handled.Add(directive);
                    break;
            }
        }
        return (Directive.Blank(code, handled), _options.WithFilePath(cellFile));
    }

    /// <summary>The shared framework, by path.</summary>
    private static IEnumerable<MetadataReference> FrameworkReferences()
    {
        var frameworkDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        return TrustedAssemblies.Values.Where(p => Path.GetDirectoryName(p) == frameworkDirectory).Select(p => MetadataReference.CreateFromFile(p));
    }

    /// <summary>The runner's copy of an assembly by simple name, loading it if the app ships it; null otherwise.</summary>
    private static Assembly? LoadRunnerAssembly(string simpleName)
    {
        var loaded = AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => string.Equals(a.GetName().Name, simpleName, StringComparison.OrdinalIgnoreCase));
        if (loaded is not null) return loaded;
        if (!TrustedAssemblies.ContainsKey(simpleName)) return null;
        try { return Assembly.Load(new AssemblyName(simpleName)); }
        catch (Exception e) when (e is FileLoadException or BadImageFormatException or FileNotFoundException) { return null; }
    }
}
