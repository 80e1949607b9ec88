using System.Diagnostics;

namespace Course.Testing;

/// <summary>Fresh folders for tests (run folders, checkpoints, shards), all under one folder per test process, for
/// the test projects that link this file. The test host may be ended without running exit handlers, so each test
/// process also deletes the folders of earlier ones that are gone (the creator's PID is in the folder's name).</summary>
internal static class TestFolders
{
    private const string Prefix = "course-tests-";
    private static readonly string Root = CreateRoot();

    public static string New() => Directory.CreateDirectory(Path.Combine(Root, Guid.NewGuid().ToString("N"))).FullName;

    private static string CreateRoot()
    {
        foreach (var stale in Directory.GetDirectories(Path.GetTempPath(), Prefix + "*"))
            if (int.TryParse(Path.GetFileName(stale)[Prefix.Length..].Split('-')[0], out var pid) && !Alive(pid)) Delete(stale);
        var root = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"{Prefix}{Environment.ProcessId}-{Guid.NewGuid():N}")).FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Delete(root);
        return root;
    }

    private static bool Alive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException) { return false; }
    }

    private static void Delete(string directory)
    {
        try { Directory.Delete(directory, recursive: true); }
        catch (IOException) { } // a child killed a moment ago may still hold a file; the next test run retries
        catch (UnauthorizedAccessException) { }
    }
}
