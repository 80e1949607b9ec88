using System.Runtime.InteropServices;

namespace Course.Data;

/// <summary>
/// The newest Microsoft.NETCore.App.Ref targeting pack of an installed .NET SDK: its ref/net*/ folder holds one
/// English IntelliSense XML file per assembly, the text of the default corpus.
/// </summary>
/// <param name="Version">The pack version, e.g. 10.0.12; recorded because the text changes with it.</param>
/// <param name="Directory">The ref/net*/ folder that holds the XML files.</param>
/// <param name="XmlFiles">The XML files, sorted ordinally by file name, the documented corpus order.</param>
public sealed record SdkReferencePack(string Version, string Directory, IReadOnlyList<string> XmlFiles)
{
    private const string PackName = "Microsoft.NETCore.App.Ref";

    /// <summary>Finds the pack, or throws a <see cref="CorpusException"/> that lists every folder it looked in.</summary>
    public static SdkReferencePack Find() => Find(CandidateDotnetRoots());

    /// <summary>Finds the newest pack under the given dotnet installation folders.</summary>
    internal static SdkReferencePack Find(IEnumerable<string> dotnetRoots)
    {
        var roots = dotnetRoots.ToList();
        var packs = new List<SdkReferencePack>();
        foreach (var root in roots)
        {
            var packRoot = Path.Combine(root, "packs", PackName);
            if (!System.IO.Directory.Exists(packRoot)) continue;
            foreach (var versionDir in System.IO.Directory.GetDirectories(packRoot))
            {
                var refDir = Path.Combine(versionDir, "ref");
                if (!System.IO.Directory.Exists(refDir)) continue;
                // A pack has one ref/net<major>.<minor> folder; take the highest should a pack ever carry more.
                var tfm = System.IO.Directory.GetDirectories(refDir, "net*").OrderBy(d => d, StringComparer.Ordinal).LastOrDefault();
                if (tfm is null) continue;
                var xml = System.IO.Directory.GetFiles(tfm, "*.xml", SearchOption.TopDirectoryOnly);
                if (xml.Length == 0) continue;
                Array.Sort(xml, StringComparer.Ordinal);
                packs.Add(new SdkReferencePack(Path.GetFileName(versionDir), tfm, xml));
            }
        }
        if (packs.Count == 0)
            throw new CorpusException(
                $"The default corpus '{Corpora.Default}' is the API documentation of the .NET SDK, but no {PackName} pack with XML " +
                $"documentation was found. Looked in: {string.Join(", ", roots.Select(r => Path.Combine(r, "packs", PackName)))}. " +
                "Set DOTNET_ROOT to the folder of your .NET SDK, or train on a text file of your own with --corpus FILE.");
        // Stable sort: among equal versions the first root in search order wins.
        return packs.OrderByDescending(p => p.Version, PackVersionComparer.Instance).First();
    }

    /// <summary>Folders that may hold a dotnet installation, in order of how directly they name the one in use.</summary>
    internal static IEnumerable<string> CandidateDotnetRoots()
    {
        var candidates = new List<string?>
        {
            Environment.GetEnvironmentVariable("DOTNET_ROOT"),
            // Running under the dotnet host (dotnet run, dotnet test): the host sits in the root.
            HostRoot(Environment.ProcessPath),
            // The shared runtime lives at <root>/shared/Microsoft.NETCore.App/<version>/, also for apphost launches.
            Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", "..")),
        };
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            candidates.Add(HostRoot(Path.Combine(dir, "dotnet")));
        candidates.Add("/usr/share/dotnet");
        candidates.Add("/usr/lib/dotnet");
        candidates.Add(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet"));
        return candidates.Where(c => !string.IsNullOrWhiteSpace(c)).Select(c => Path.GetFullPath(c!).TrimEnd(Path.DirectorySeparatorChar))
            .Distinct(StringComparer.Ordinal);
    }

    /// <summary>The folder of a dotnet host executable, following a symlink such as /usr/bin/dotnet.</summary>
    private static string? HostRoot(string? hostPath)
    {
        if (hostPath is null || !File.Exists(hostPath)) return null;
        var name = Path.GetFileNameWithoutExtension(hostPath);
        if (!name.Equals("dotnet", StringComparison.OrdinalIgnoreCase)) return null;
        var target = new FileInfo(hostPath).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? hostPath;
        return Path.GetDirectoryName(target);
    }

    /// <summary>Orders pack versions as NuGet does for these: numerically by parts, and a release above its previews.</summary>
    private sealed class PackVersionComparer : IComparer<string>
    {
        public static readonly PackVersionComparer Instance = new();

        public int Compare(string? x, string? y)
        {
            var (xCore, xPre) = Split(x ?? "");
            var (yCore, yPre) = Split(y ?? "");
            var xv = System.Version.TryParse(xCore, out var a) ? a : new System.Version();
            var yv = System.Version.TryParse(yCore, out var b) ? b : new System.Version();
            var byCore = xv.CompareTo(yv);
            if (byCore != 0) return byCore;
            if (xPre.Length == 0 || yPre.Length == 0) return yPre.Length.CompareTo(xPre.Length);
            return string.CompareOrdinal(xPre, yPre);
        }

        private static (string Core, string Prerelease) Split(string v)
        {
            var dash = v.IndexOf('-');
            return dash < 0 ? (v, "") : (v[..dash], v[(dash + 1)..]);
        }
    }
}
