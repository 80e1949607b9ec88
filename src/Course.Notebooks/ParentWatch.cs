using System.Diagnostics;

namespace Course.Notebooks;

/// <summary>
/// Ends a child process when the process that started it is gone, as ipykernel does with JPY_PARENT_PID: a runner or
/// front end that crashed or was killed would otherwise leave an orphan holding memory, or a runaway cell spinning
/// a core with parent PID 1, until someone finds it. The parent's PID comes in an environment variable; it is
/// checked once a second.
/// </summary>
internal static class ParentWatch
{
    /// <summary>Watches the process named by <paramref name="variable"/>; null when it names none (started by hand).</summary>
    public static IDisposable? Start(string variable, Action parentGone)
    {
        if (OperatingSystem.IsWindows() && variable == "JPY_PARENT_PID") return null; // there it is an inherited handle, not a process id
        if (!int.TryParse(Environment.GetEnvironmentVariable(variable), out var pid) || pid <= 1) return null;
        return new Timer(_ =>
        {
            if (!Alive(pid)) parentGone();
        }, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    private static bool Alive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }
}
