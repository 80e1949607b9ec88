namespace Course.Cli.Tests;

/// <summary>Fresh folders for the CLI's runs, all under one folder per test process that is deleted when the
/// process exits (tests hand the paths to child processes, which may outlive a test's own scope).</summary>
internal static class TestFolders
{
    private static readonly string Root = Directory.CreateTempSubdirectory("course-cli-tests-").FullName;

    static TestFolders() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { } // a child killed a moment ago may still hold a file; the OS cleans temp eventually
    };

    public static string New() => Directory.CreateDirectory(Path.Combine(Root, Guid.NewGuid().ToString("N"))).FullName;
}
