namespace Course.Tests.DevContainer;

/// <summary>The checkout the tests run from, found by walking up from the test assembly to Course.sln.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Course.sln"))) return dir.FullName;
        throw new InvalidOperationException(
            $"No Course.sln above {AppContext.BaseDirectory}; run the tests from a checkout of the repository.");
    }
}
