using System.Diagnostics;

namespace Course.Tests.DevContainer;

/// <summary>Runs a bash script to completion and keeps what it printed, for tests of the repository's scripts.</summary>
internal sealed record BashScript(int ExitCode, string Stdout, string Stderr)
{
    public string Output => Stdout + Stderr;

    public static BashScript Run(string script, string workingDirectory, IReadOnlyDictionary<string, string?> environment,
        params string[] arguments)
    {
        var start = new ProcessStartInfo("/bin/bash")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(script);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment)
        {
            if (value is null) start.Environment.Remove(name);
            else start.Environment[name] = value;
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        // Generous for a loaded CI machine; the scripts under test take well under a second here.
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"bash {script} {string.Join(' ', arguments)} did not finish within 60 s.");
        }
        return new BashScript(process.ExitCode, stdout.Result, stderr.Result);
    }
}
