using System.Text;

namespace Course.Notebooks.Kernel;

/// <summary>
/// The kernel's own diagnostics, on the process's real stderr (Jupyter's server log). Written to the stream, not
/// to Console.Error, because the code session redirects Console.Error into the running cell's output.
/// </summary>
public static class KernelLog
{
    private static readonly StreamWriter Stderr = new(Console.OpenStandardError(), new UTF8Encoding(false)) { AutoFlush = true };
    private static readonly Lock Gate = new();

    public static void Write(string line)
    {
        lock (Gate) Stderr.WriteLine($"[course-csharp] {line}");
    }
}
