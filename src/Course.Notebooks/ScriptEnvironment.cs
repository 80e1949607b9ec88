using System.Reflection;
using System.Text;
using Microsoft.CodeAnalysis.Scripting;

namespace Course.Notebooks;

/// <summary>
/// What a notebook's code sees: the framework, the course library and its packages, default imports, and the
/// references its <c>#r</c> directives add. Paths in directives are relative to the notebook's folder.
/// </summary>
internal sealed class ScriptEnvironment
{
    /// <summary>
    /// Imported into every cell. Plotly.NET.CSharp rather than Plotly.NET: both define a Chart class and the
    /// C# package's (optional named arguments, no F# option types) is the one meant for C#; importing both would
    /// make Chart ambiguous. Plotly.NET types (Color, StyleParam) stay reachable by their full names.
    /// </summary>
    public static readonly IReadOnlyList<string> DefaultImports =
    [
        "System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Text", "System.Threading.Tasks",
        "TorchSharp", "TorchSharp.torch", // a type: imported as 'using static TorchSharp.torch;'
        "Course.Data",
        "Plotly.NET.CSharp",
    ];

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
        _options = DefaultReferences(ScriptOptions.Default)
            .WithImports(DefaultImports)
            .WithMetadataResolver(ScriptMetadataResolver.Default.WithBaseDirectory(baseDirectory))
            .WithSourceResolver(ScriptSourceResolver.Default.WithBaseDirectory(baseDirectory))
            // Debug information gives runtime errors a line number within the cell.
            .WithEmitDebugInformation(true)
            .WithFileEncoding(Encoding.UTF8)
            .WithOptimizationLevel(Microsoft.CodeAnalysis.OptimizationLevel.Release)
            .WithAllowUnsafe(true);
    }

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

    /// <summary>The framework by path; the app's own assemblies (course library, packages) as the loaded
    /// assemblies, so values cross between cells and the runner (display) with one identity.</summary>
    private static ScriptOptions DefaultReferences(ScriptOptions options)
    {
        var frameworkDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var framework = TrustedAssemblies.Values.Where(p => Path.GetDirectoryName(p) == frameworkDirectory);
        var app = TrustedAssemblies.Where(a => Path.GetDirectoryName(a.Value) != frameworkDirectory)
            .Select(a => LoadRunnerAssembly(a.Key)).OfType<Assembly>();
        return options.WithReferences(framework.Select(p => Microsoft.CodeAnalysis.MetadataReference.CreateFromFile(p))).AddReferences(app);
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
