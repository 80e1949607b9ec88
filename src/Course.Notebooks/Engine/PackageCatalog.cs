using System.Text.Json.Nodes;

namespace Course.Notebooks.Engine;

/// <summary>
/// The NuGet packages this runner was built with, read from the running app's .deps.json: exactly the course's
/// pinned dependency set (Directory.Packages.props) as restored, with each package's assemblies and dependencies.
/// A notebook's <c>#r "nuget: ..."</c> may only name these, at these versions, because nothing is downloaded.
/// </summary>
internal sealed class PackageCatalog
{
    private sealed record Package(string Name, string Version, IReadOnlyList<string> Dependencies, IReadOnlyList<string> Assemblies);

    private readonly Dictionary<string, Package> _packages;

    private PackageCatalog(Dictionary<string, Package> packages) => _packages = packages;

    private static readonly Lazy<PackageCatalog> LazyCurrent = new(() => FromDepsFile(CurrentDepsFile()));

    public static PackageCatalog Current => LazyCurrent.Value;

    public static PackageCatalog FromDepsFile(string path)
    {
        var root = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        var target = root["targets"]!.AsObject().First().Value!.AsObject();
        var packages = new Dictionary<string, Package>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, library) in root["libraries"]!.AsObject())
        {
            if (library?["type"]?.GetValue<string>() != "package") continue;
            var (name, version) = SplitKey(key);
            var entry = target[key] as JsonObject;
            var dependencies = (entry?["dependencies"] as JsonObject)?.Select(d => d.Key).ToList() ?? [];
            var assemblies = (entry?["runtime"] as JsonObject)?.Select(r => Path.GetFileNameWithoutExtension(r.Key)).ToList() ?? [];
            packages[name] = new Package(name, version, dependencies, assemblies);
        }
        return new PackageCatalog(packages);
    }

    /// <summary>TorchSharp's backend packages carry the same managed API; the build's TorchBackend switch picks one.</summary>
    private static readonly string[] TorchSharpBackends = ["TorchSharp-cpu", "TorchSharp-cuda-linux", "TorchSharp-cuda-windows", "TorchSharp"];

    /// <summary>A notebook asks for the backend its author used (usually TorchSharp-cpu); a runner built for another
    /// backend (cuda on a GPU machine, system with PyTorch's libtorch) answers with its own.</summary>
    private string Resolve(string name) =>
        !_packages.ContainsKey(name) && TorchSharpBackends.Contains(name, StringComparer.OrdinalIgnoreCase)
            ? TorchSharpBackends.FirstOrDefault(_packages.ContainsKey) ?? name
            : name;

    /// <summary>The pinned version of <paramref name="name"/>; throws naming the package, or the version to use.</summary>
    public string PinnedVersion(string name, string? requestedVersion)
    {
        name = Resolve(name);
        if (!_packages.TryGetValue(name, out var package))
            throw new NotebookException(
                $"#r \"nuget: {name}\": package '{name}' is not in the course's pinned dependency set, and this runner downloads nothing. " +
                $"Use one of: {string.Join(", ", _packages.Values.OrderBy(p => p.Name).Select(p => $"{p.Name} {p.Version}"))}; " +
                "or add the package to Directory.Packages.props and src/Course/Course.csproj and rebuild.");
        if (requestedVersion is not null && requestedVersion != package.Version)
            throw new NotebookException(
                $"#r \"nuget: {name}, {requestedVersion}\": the course pins {package.Name} {package.Version}, not {requestedVersion}. " +
                $"Change the directive to #r \"nuget: {package.Name}, {package.Version}\".");
        return package.Version;
    }

    /// <summary>The spelling the catalog uses for a package name (NuGet ids are case-insensitive).</summary>
    public string CanonicalName(string name) => _packages.TryGetValue(Resolve(name), out var p) ? p.Name : name;

    /// <summary>Simple names of the assemblies a package brings, its dependencies' included, as NuGet would add them.</summary>
    public IReadOnlyCollection<string> AssembliesOf(string name)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var pending = new Stack<string>([Resolve(name)]);
        while (pending.Count > 0)
        {
            var current = pending.Pop();
            if (!seen.Add(current) || !_packages.TryGetValue(current, out var package)) continue;
            names.UnionWith(package.Assemblies);
            foreach (var dependency in package.Dependencies) pending.Push(dependency);
        }
        return names;
    }

    public IEnumerable<string> AllAssemblies() => _packages.Values.SelectMany(p => p.Assemblies);

    private static (string Name, string Version) SplitKey(string key)
    {
        var slash = key.LastIndexOf('/');
        return (key[..slash], key[(slash + 1)..]);
    }

    private static string CurrentDepsFile()
    {
        // The host lists the app's .deps.json here; for the runner it is Course.Notebooks.deps.json, for the CLI
        // or a test host the deps of that app, which include everything Course.Notebooks references.
        var files = (AppContext.GetData("APP_CONTEXT_DEPS_FILES") as string)?.Split(';', StringSplitOptions.RemoveEmptyEntries) ?? [];
        return files.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException(
                "The app's .deps.json was not found (APP_CONTEXT_DEPS_FILES is empty), so the course's pinned packages are unknown. " +
                "Run the runner as a normally built app (dotnet Course.Notebooks.dll), not from a single-file or trimmed publish.");
    }
}
