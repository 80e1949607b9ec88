using System.Reflection;
using System.Runtime.InteropServices;
using Course.Data;
using TorchSharp;

namespace Course;

/// <summary>What this machine gives the course: .NET, OS, TorchSharp and libtorch versions, the libtorch backend
/// the library was built for, CUDA devices, threads and the corpus cache. Shown by <c>course env</c> and by
/// chapter 00.</summary>
public static class EnvironmentReport
{
    /// <summary>The libtorch backend (cpu, cuda or system) chosen at build time, from the assembly's
    /// TorchBackend metadata; "?" if the metadata is missing.</summary>
    public static string TorchBackend =>
        typeof(EnvironmentReport).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "TorchBackend")?.Value ?? "?";

    /// <param name="relativeTo">Write the corpus cache relative to this folder (a notebook's own), so a saved
    /// report names no folder of the machine that made it: a cache outside the course's folder (COURSE_CACHE, or the
    /// user's cache when the course folder is not found) is then named by where it comes from, not by its path.
    /// Null writes it in full, as <c>course env</c> does.</param>
    public static IReadOnlyList<(string Name, string Value)> Describe(string? relativeTo = null)
    {
        var cache = CacheDirectory.Resolve();
        var cuda = torch.cuda.is_available();
        return
        [
            (".NET", RuntimeInformation.FrameworkDescription),
            ("OS", $"{RuntimeInformation.OSDescription} ({RuntimeInformation.OSArchitecture})"),
            ("TorchSharp", typeof(torch).Assembly.GetName().Version?.ToString() ?? "?"),
            ("libtorch", torch.__version__),
            ("backend (TorchBackend)", TorchBackend),
            ("CUDA available", cuda ? $"yes, {torch.cuda.device_count()} device(s)" : "no"),
            ("CPU cores / torch threads", $"{System.Environment.ProcessorCount} / {torch.get_num_threads()}"),
            ("corpus cache", relativeTo is null ? cache : Portable(cache, relativeTo)),
        ];
    }

    /// <summary><paramref name="cache"/> relative to <paramref name="folder"/> when both are inside the course's
    /// folder; otherwise where the cache comes from, without its path.</summary>
    private static string Portable(string cache, string folder)
    {
        var root = CacheDirectory.FindRepositoryRoot(folder);
        if (root is not null && IsInside(cache, root) && IsInside(Path.GetFullPath(folder), root))
            return Path.GetRelativePath(folder, cache).Replace('\\', '/');
        var fromEnvironment = !string.IsNullOrWhiteSpace(System.Environment.GetEnvironmentVariable(CacheDirectory.EnvironmentVariable));
        return fromEnvironment ? $"outside the course folder (set by {CacheDirectory.EnvironmentVariable})" : "outside the course folder (the user's cache)";
    }

    private static bool IsInside(string path, string folder)
    {
        var relative = Path.GetRelativePath(folder, path);
        return relative != ".." && !relative.StartsWith(".." + Path.DirectorySeparatorChar) && !Path.IsPathRooted(relative);
    }
}
