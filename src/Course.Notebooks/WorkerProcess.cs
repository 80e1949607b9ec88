using System.Diagnostics;
using System.Text;

using Course.Notebooks.Engine;

namespace Course.Notebooks;

/// <summary>
/// Starts the worker: this same assembly in "worker" mode, in a child process per notebook, because Roslyn
/// submissions cannot be unloaded (memory would pile up across notebooks) and a runaway cell can only be
/// stopped reliably by killing its process.
/// </summary>
internal static class WorkerProcess
{
    public const string Verb = "worker";

    /// <summary>Passed after the worker's two paths: keep going after a cell's error (nbconvert's --allow-errors).</summary>
    public const string AllowErrorsFlag = "--allow-errors";

    /// <summary>Names the runner's PID for the worker's <see cref="ParentWatch"/>.</summary>
    public const string ParentVariable = "COURSE_NOTEBOOK_RUNNER_PID";

    public static Process Start(string notebookPath, string baseDirectory, bool allowErrors)
    {
        var assembly = typeof(WorkerProcess).Assembly.Location;
        var runtimeConfig = Path.ChangeExtension(assembly, ".runtimeconfig.json");
        if (!File.Exists(runtimeConfig))
            throw new InvalidOperationException(
                $"{runtimeConfig} is missing, so the notebook worker cannot start. It is produced when Course.Notebooks (an Exe " +
                "project) is built or referenced through a ProjectReference; rebuild the app that calls NotebookRunner.");

        var (program, prefix) = Launcher(assembly);
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = baseDirectory, // as in Jupyter, relative paths in cells start at the notebook's folder
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = new UTF8Encoding(false),
            StandardErrorEncoding = new UTF8Encoding(false),
        };
        start.Environment[ParentVariable] = Environment.ProcessId.ToString(); // the worker exits when this process is gone
        foreach (var argument in prefix.Concat([Verb, notebookPath, baseDirectory]).Concat(allowErrors ? [AllowErrorsFlag] : []))
            start.ArgumentList.Add(argument);
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start '{start.FileName}' for the notebook worker.");
        process.StandardInput.Close(); // a cell that reads Console.In gets end-of-input instead of hanging the run
        return process;
    }

    /// <summary>How to start this assembly (the worker, or the Jupyter kernel from kernel.json): in a self-contained
    /// publish (a machine without .NET, such as a GPU server) its own apphost beside the assembly; otherwise
    /// `dotnet exec` of the assembly.</summary>
    internal static (string Program, string[] Prefix) Launcher(string assembly)
    {
        var apphost = Path.ChangeExtension(assembly, OperatingSystem.IsWindows() ? ".exe" : null);
        var selfContained = File.ReadAllText(Path.ChangeExtension(assembly, ".runtimeconfig.json")).Contains("\"includedFrameworks\"");
        return selfContained && File.Exists(apphost) ? (apphost, []) : (DotnetHost(), ["exec", assembly]);
    }

    /// <summary>The dotnet host that runs this process, else the one named by DOTNET_ROOT, else dotnet on PATH.</summary>
    private static string DotnetHost()
    {
        var current = Environment.ProcessPath;
        if (current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet") return current;
        var root = Environment.GetEnvironmentVariable("DOTNET_ROOT");
        var candidate = root is null ? null : Path.Combine(root, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
        return candidate is not null && File.Exists(candidate) ? candidate : "dotnet";
    }
}
