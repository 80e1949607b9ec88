using System.Diagnostics;
using System.Text;

namespace Course.Cli.Tests;

/// <summary>The `course` CLI started as a real child process, as a user starts it, with its output captured.</summary>
internal sealed class CourseProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly object _lock = new();

    public CourseProcess(params string[] arguments) : this(new Dictionary<string, string?>(), arguments) { }

    /// <param name="environment">Variables to set (a null value removes one) on top of this process's environment.</param>
    public CourseProcess(IReadOnlyDictionary<string, string?> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var (name, value) in environment) start.Environment[name] = value;
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Course.Cli.dll"));
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>SIGKILL, as `kill -9` sends: the process gets no chance to clean up.</summary>
    public void KillHard() => _process.Kill();

    /// <summary>Sends <paramref name="signal"/> ("INT", "TERM", "HUP") with kill(1), as a terminal or a container runtime does.</summary>
    public void Signal(string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", Id.ToString()])!;
        kill.WaitForExit();
    }

    public string Output
    {
        get { lock (_lock) return _output.ToString(); }
    }

    /// <summary>Runs the CLI to the end and returns its exit code and everything it printed.</summary>
    public static (int ExitCode, string Output) Run(params string[] arguments)
    {
        using var process = new CourseProcess(arguments);
        return (process.WaitForExit(TimeSpan.FromMinutes(5)), process.Output); // generous: CI machines are often shared
    }

    /// <summary>Runs the CLI to the end, asserts that it succeeded, and returns what it printed.</summary>
    public static string Succeeds(params string[] arguments)
    {
        var (exitCode, output) = Run(arguments);
        Assert.True(exitCode == 0, $"`course {string.Join(' ', arguments)}` exited with {exitCode}:\n{output}");
        return output;
    }

    public int WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"course did not exit within {timeout}. Output so far:\n{Output}");
        }
        _process.WaitForExit(); // drains the asynchronous output readers
        return _process.ExitCode;
    }

    /// <summary>Waits until the output contains <paramref name="text"/>.</summary>
    public void WaitFor(string text, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!Output.Contains(text))
        {
            if (_process.HasExited || clock.Elapsed > timeout)
                throw new TimeoutException($"'{text}' did not appear within {timeout}. Output:\n{Output}");
            Thread.Sleep(50);
        }
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_lock) _output.AppendLine(line);
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }
}
