using System.Diagnostics;

namespace Course.Notebooks.Kernel;

/// <summary>
/// Ends the kernel when the process that started it (named by JPY_PARENT_PID, which jupyter_client sets) is gone,
/// as ipykernel does: a front end that crashed would otherwise leave an orphan kernel holding memory, or a
/// runaway cell spinning a core, until someone finds it.
/// </summary>
internal static class ParentWatch
{
    public static IDisposable? Start(Action parentGone)
    {
        if (OperatingSystem.IsWindows()) return null; // there JPY_PARENT_PID is an inherited handle, not a process id
        if (!int.TryParse(Environment.GetEnvironmentVariable("JPY_PARENT_PID"), out var pid) || pid <= 1) return null;
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
