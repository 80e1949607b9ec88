using System.Diagnostics;
using System.Text;
using Course.Notebooks.Kernel;

namespace Course.Notebooks.Tests;

/// <summary>
/// Jupyter's own client, which no one here wrote, as the kernel's test harness: Debian's jupyter-client for
/// /usr/bin/python3 (installed here with apt-get when missing and running as root; otherwise the tests fail with
/// the command to run), and this build's kernelspec installed into a temporary prefix that only the test's
/// Python sees (JUPYTER_PATH). kernel/protocol_cases.py runs one case per call, each with its own kernel.
/// </summary>
public sealed class JupyterClientHarness : IDisposable
{
    public const string Python = "/usr/bin/python3";
    public const string KernelName = "course-csharp-test";
    public static readonly string[] DebianPackages = ["jupyter-client", "python3-nbclient", "python3-nbformat", "jupyter-nbconvert"];

    private static readonly Lazy<string?> Prerequisites = new(EnsureDebianPackages);
    private static readonly TimeSpan CaseTimeout = TimeSpan.FromMinutes(2);

    private readonly TempFolder _folder = new();

    public JupyterClientHarness()
    {
        if (Prerequisites.Value is { } problem) throw new InvalidOperationException(problem);
        KernelSpecInstaller.Install(new KernelSpecTarget.Prefix(_folder.Path), KernelName);
    }

    public static string Script => System.IO.Path.Combine(RepositoryRoot.Path, "tests", "Course.Notebooks.Tests", "kernel", "protocol_cases.py");

    /// <summary>Runs one case; returns its exit code and everything it (and the kernel, on stderr) printed.</summary>
    public (int ExitCode, string Output) RunCase(string name)
    {
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Script);
        start.ArgumentList.Add(name);
        // Only the temporary kernelspec, runtime files and config: a user's own Jupyter set-up cannot interfere.
        start.Environment["JUPYTER_PATH"] = _folder["share/jupyter"];
        start.Environment["JUPYTER_DATA_DIR"] = _folder["data"];
        start.Environment["JUPYTER_RUNTIME_DIR"] = _folder["runtime"];
        start.Environment["JUPYTER_CONFIG_DIR"] = _folder["config"];
        start.Environment["COURSE_KERNEL_NAME"] = KernelName;
        start.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        start.Environment["PYTHONUNBUFFERED"] = "1";

        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(CaseTimeout))
        {
            process.Kill(entireProcessTree: true); // the kernel too: a stuck case must not leave it spinning
            process.WaitForExit();
            lock (output) return (-1, $"case {name} did not finish within {CaseTimeout.TotalSeconds} s\n{output}");
        }
        process.WaitForExit(); // drains the redirected streams
        lock (output) return (process.ExitCode, output.ToString());
    }

    /// <summary>Null when jupyter_client and friends are there (installing them first when root can); else what to run.</summary>
    private static string? EnsureDebianPackages()
    {
        if (!File.Exists("/usr/bin/dpkg-query"))
            return Works(Python, "-c", "import jupyter_client, nbclient, nbformat")
                ? null
                : $"The kernel protocol tests drive the kernel with jupyter_client, nbclient and nbformat for {Python}; this is not a Debian system, so install them for that Python (pip install jupyter_client nbclient nbformat nbconvert).";
        var missing = DebianPackages.Where(p => !Installed(p)).ToList();
        if (missing.Count == 0) return null;
        var install = $"apt-get install -y {string.Join(' ', missing)}";
        if (Environment.UserName != "root")
            return $"The kernel protocol tests need Debian's {string.Join(", ", missing)}; run: sudo apt-get update && sudo {install}";
        if (!Works("apt-get", "update", "-qq") || !Works("apt-get", ["install", "-y", "-qq", .. missing]) || missing.Any(p => !Installed(p)))
            return $"Installing {string.Join(", ", missing)} with apt-get failed; run `apt-get update && {install}` and look at its errors.";
        return null;
    }

    private static bool Installed(string package)
    {
        var start = new ProcessStartInfo("/usr/bin/dpkg-query") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-W", "-f=${Status}", package }) start.ArgumentList.Add(argument);
        using var query = Process.Start(start)!;
        var status = query.StandardOutput.ReadToEnd();
        query.WaitForExit();
        return query.ExitCode == 0 && status.Trim() == "install ok installed";
    }

    private static bool Works(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var process = Process.Start(start)!;
        process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0;
    }

    public void Dispose() => _folder.Dispose();
}
