namespace Course.Testing;

/// <summary>The checkout's root: the folder holding Course.sln, found by walking up from the test binaries.</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    /// <summary>The absolute path of <paramref name="relative"/>, a path inside the checkout.</summary>
    public static string PathOf(string relative) => System.IO.Path.Combine(Path, relative);

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "Course.sln"))) return directory.FullName;
        throw new InvalidOperationException($"No Course.sln above {AppContext.BaseDirectory}; run the tests from a checkout of the course.");
    }
}
