namespace Course.Data;

/// <summary>
/// Where downloaded corpora, extracted text and token shards are kept. In order: an explicit folder, the
/// COURSE_CACHE environment variable, data/cache at the root of this repository when running inside it
/// (ignored by git), and otherwise the per-user cache folder ($XDG_CACHE_HOME or ~/.cache)/course.
/// </summary>
public static class CacheDirectory
{
    public const string EnvironmentVariable = "COURSE_CACHE";

    /// <summary>A file at the repository root that marks it, so the search stops at this repository and no other.</summary>
    private const string RepositoryMarker = "Course.sln";

    public static string Resolve(string? explicitDirectory = null)
    {
        if (!string.IsNullOrWhiteSpace(explicitDirectory)) return Path.GetFullPath(explicitDirectory);
        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment)) return Path.GetFullPath(fromEnvironment);
        var repository = FindRepositoryRoot(Directory.GetCurrentDirectory()) ?? FindRepositoryRoot(AppContext.BaseDirectory);
        if (repository is not null) return Path.Combine(repository, "data", "cache");
        var userCache = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (string.IsNullOrWhiteSpace(userCache))
            userCache = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(userCache, "course");
    }

    /// <summary>The course's folder (the one holding Course.sln) that contains <paramref name="start"/>, or null.</summary>
    internal static string? FindRepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, RepositoryMarker))) return dir.FullName;
        return null;
    }
}
