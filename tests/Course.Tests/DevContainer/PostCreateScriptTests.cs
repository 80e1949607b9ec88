using Course.Testing;
using Course.Tests.Data;

namespace Course.Tests.DevContainer;

/// <summary>
/// post-create.sh outside any container. Against the real checkout only --check runs: a full run builds the solution,
/// which would overwrite the assemblies this test run has loaded. The full path (setup, then the smoke check) runs in
/// a throwaway checkout whose setup.sh and ./course are stand-ins that record how they were called.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // the script runs in Linux containers; the tests run it with bash
public class PostCreateScriptTests
{
    private const string Script = ".devcontainer/post-create.sh";

    /// <summary>Nothing inherited from the machine running the tests may change what the script does.</summary>
    private static Dictionary<string, string?> Environment(string? backend = null) => new()
    {
        ["TORCH_BACKEND"] = backend,
        ["POST_CREATE_SKIP_SMOKE"] = null,
        ["POST_CREATE_SMOKE_NOTEBOOK"] = null,
    };

    [Fact]
    public void Check_mode_accepts_this_machine()
    {
        var run = BashScript.Run(Script, RepositoryRoot.Path, Environment(), "--check");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("post-create: prerequisites ok", run.Stdout);
        Assert.Contains("TORCH_BACKEND=cpu", run.Stdout);
    }

    [Fact]
    public void Check_mode_names_an_unknown_backend_and_the_valid_ones()
    {
        var run = BashScript.Run(Script, RepositoryRoot.Path, Environment("gpu"), "--check");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("TORCH_BACKEND='gpu' is not known", run.Stderr);
        Assert.Contains("cpu (default), cuda", run.Stderr);
    }

    [Fact]
    public void Check_mode_says_how_to_get_dotnet_when_it_is_missing()
    {
        using var bin = new TempDirectory();
        // The script needs dirname to find the repository; everything else it calls before the dotnet check is built in.
        File.CreateSymbolicLink(bin.File("dirname"), FindOnPath("dirname"));
        var environment = Environment();
        environment["PATH"] = bin.Path;

        var run = BashScript.Run(Script, RepositoryRoot.Path, environment, "--check");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("'dotnet' is not on PATH", run.Stderr);
        Assert.Contains("https://dot.net", run.Stderr);
    }

    [Fact]
    public void Check_mode_passes_on_what_dotnet_says_when_no_sdk_satisfies_global_json()
    {
        using var bin = new TempDirectory();
        var environment = EnvironmentWithStandIn(bin, "dotnet", """
            echo "A compatible .NET SDK was not found."
            exit 145
            """);

        var run = BashScript.Run(Script, RepositoryRoot.Path, environment, "--check");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("does not satisfy global.json (dotnet said: A compatible .NET SDK was not found.)", run.Stderr);
    }

    [Fact]
    public void Check_mode_refuses_arm64_linux_where_torchsharp_has_no_native_library()
    {
        using var bin = new TempDirectory();
        var environment = EnvironmentWithStandIn(bin, "uname", """
            case "$1" in -s) echo Linux ;; -m) echo aarch64 ;; esac
            """);

        var run = BashScript.Run(Script, RepositoryRoot.Path, environment, "--check");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("no native libraries for Linux on aarch64", run.Stderr);
        Assert.Contains("Apple Silicon Mac", run.Stderr);
    }

    [Fact]
    public void An_unknown_option_is_refused_with_the_usage()
    {
        var run = BashScript.Run(Script, RepositoryRoot.Path, Environment(), "--build");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("unknown option '--build'", run.Stderr);
        Assert.Contains("--check", run.Stderr);
    }

    [Fact]
    public void Check_mode_runs_nothing_and_reports_a_broken_fix_script()
    {
        using var checkout = new FakeCheckout();
        File.WriteAllText(checkout.PathOf("tools/debian12-fix/apply.sh"), "if then fi\n");

        var run = BashScript.Run(Script, checkout.Root, Environment(), "--check");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("tools/debian12-fix/apply.sh has a bash syntax error", run.Stderr);
        Assert.False(File.Exists(checkout.PathOf("setup.log")), "--check ran setup.sh");
    }

    [Fact]
    public void Full_run_sets_up_with_the_backend_and_skips_the_smoke_check_while_course_is_absent()
    {
        using var checkout = new FakeCheckout();

        var run = BashScript.Run(Script, checkout.Root, Environment("system"));

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal("setup TORCH_BACKEND=system\n", File.ReadAllText(checkout.PathOf("setup.log")));
        Assert.Contains("smoke check skipped: ./course is not in this checkout", run.Stdout);
    }

    [Fact]
    public void Smoke_check_runs_course_env_and_the_first_notebook_into_a_temporary_folder()
    {
        using var checkout = new FakeCheckout();
        checkout.AddCourse(exitCode: 0);
        checkout.AddNotebook();

        var run = BashScript.Run(Script, checkout.Root, Environment());

        Assert.True(run.ExitCode == 0, run.Output);
        var calls = File.ReadAllLines(checkout.PathOf("course.log"));
        Assert.Equal(3, calls.Length);
        Assert.Equal("kernel install --user", calls[0]); // registered before the smoke check
        Assert.Equal("env", calls[1]);
        var notebookCall = calls[2].Split(' ');
        Assert.Equal(["notebooks", "run", "notebooks/00-setup.ipynb", "--output"], notebookCall[..4]);
        Assert.Equal("existed", notebookCall[5]);
        Assert.False(Directory.Exists(notebookCall[4]), "the smoke run's output folder was left behind");
    }

    [Fact]
    public void A_failing_smoke_notebook_fails_the_run_and_names_the_notebook()
    {
        using var checkout = new FakeCheckout();
        checkout.AddCourse(exitCode: 3, failOn: "notebooks");
        checkout.AddNotebook();

        var run = BashScript.Run(Script, checkout.Root, Environment());

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("smoke notebook notebooks/00-setup.ipynb failed (exit 3)", run.Stderr);
    }

    [Fact]
    public void A_failing_course_env_fails_the_run()
    {
        using var checkout = new FakeCheckout();
        checkout.AddCourse(exitCode: 4, failOn: "env");
        checkout.AddNotebook();

        var run = BashScript.Run(Script, checkout.Root, Environment());

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("'./course env' failed (exit 4)", run.Stderr);
        Assert.Equal(["kernel install --user", "env"], File.ReadAllLines(checkout.PathOf("course.log")));
    }

    [Fact]
    public void Without_the_notebook_only_course_env_runs()
    {
        using var checkout = new FakeCheckout();
        checkout.AddCourse(exitCode: 0);

        var run = BashScript.Run(Script, checkout.Root, Environment());

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal(["kernel install --user", "env"], File.ReadAllLines(checkout.PathOf("course.log")));
        Assert.Contains("smoke notebook skipped: notebooks/00-setup.ipynb is not in this checkout", run.Stdout);
    }

    [Fact]
    public void Skip_smoke_sets_up_without_calling_course()
    {
        using var checkout = new FakeCheckout();
        checkout.AddCourse(exitCode: 5, failOn: "env");
        var environment = Environment();
        environment["POST_CREATE_SKIP_SMOKE"] = "1";

        var run = BashScript.Run(Script, checkout.Root, environment);

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.True(File.Exists(checkout.PathOf("setup.log")), "setup.sh did not run");
        Assert.Equal(["kernel install --user"], File.ReadAllLines(checkout.PathOf("course.log"))); // the kernel, not the smoke check
        Assert.Contains("smoke check skipped (POST_CREATE_SKIP_SMOKE=1)", run.Stdout);
    }

    [Fact]
    public void Registers_the_course_kernel_and_the_official_kernel_for_jupyter()
    {
        using var checkout = new FakeCheckout();
        checkout.AddCourse(exitCode: 0);
        checkout.AddOfficialKernelScript(exitCode: 0);

        var run = BashScript.Run(Script, checkout.Root, Environment());

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal("kernel install --user", File.ReadAllLines(checkout.PathOf("course.log"))[0]);
        Assert.Equal("official kernel registered\n", File.ReadAllText(checkout.PathOf("official-kernel.log")));
    }

    [Fact]
    public void A_kernel_that_cannot_be_registered_fails_the_run()
    {
        using var checkout = new FakeCheckout();
        checkout.AddCourse(exitCode: 6, failOn: "kernel");

        var run = BashScript.Run(Script, checkout.Root, Environment());

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("'./course kernel install' failed (exit 6)", run.Stderr);
    }

    /// <summary>The test environment with <paramref name="program"/>, a shell script in <paramref name="bin"/>, found
    /// on PATH before the real one.</summary>
    private static Dictionary<string, string?> EnvironmentWithStandIn(TempDirectory bin, string program, string body)
    {
        File.WriteAllText(bin.File(program), $"#!/bin/sh\n{body}\n");
        File.SetUnixFileMode(bin.File(program), UnixFileMode.UserRead | UnixFileMode.UserExecute);
        var environment = Environment();
        environment["PATH"] = bin.Path + ":" + System.Environment.GetEnvironmentVariable("PATH");
        return environment;
    }

    private static string FindOnPath(string program) =>
        (System.Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
            .Select(dir => Path.Combine(dir, program)).FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException($"{program} is not on PATH; the test needs it to build a PATH without dotnet.");

    /// <summary>
    /// A throwaway repository with the real post-create.sh and fix script, a setup.sh that only records its backend,
    /// and optionally a ./course that records its arguments.
    /// </summary>
    private sealed class FakeCheckout : IDisposable
    {
        private readonly TempDirectory _dir = new();

        public string Root => _dir.Path;

        public FakeCheckout()
        {
            Copy(Script);
            Copy("tools/debian12-fix/apply.sh");
            File.WriteAllText(PathOf("setup.sh"), "echo \"setup TORCH_BACKEND=$TORCH_BACKEND\" >> setup.log\n");
        }

        public string PathOf(string relative) => Path.Combine(Root, relative);

        /// <summary>A ./course that logs each call (and whether --output's folder exists) and exits with
        /// <paramref name="exitCode"/> when its first argument is <paramref name="failOn"/>.</summary>
        public void AddCourse(int exitCode, string failOn = "")
        {
            File.WriteAllText(PathOf("course"), $$"""
                if [ "$1" = notebooks ]; then
                    [ -d "$5" ] && state=existed || state=missing
                    echo "$* $state" >> course.log
                else
                    echo "$*" >> course.log
                fi
                [ "$1" = "{{failOn}}" ] && exit {{exitCode}}
                exit 0

                """);
        }

        /// <summary>A tools/jupyter/official-kernel.sh that logs its call and exits with <paramref name="exitCode"/>.</summary>
        public void AddOfficialKernelScript(int exitCode)
        {
            Directory.CreateDirectory(PathOf("tools/jupyter"));
            File.WriteAllText(PathOf("tools/jupyter/official-kernel.sh"), $"echo \"official kernel registered\" >> official-kernel.log\nexit {exitCode}\n");
        }

        public void AddNotebook()
        {
            Directory.CreateDirectory(PathOf("notebooks"));
            File.WriteAllText(PathOf("notebooks/00-setup.ipynb"), "{}");
        }

        private void Copy(string relative)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(PathOf(relative))!);
            File.Copy(RepositoryRoot.PathOf(relative), PathOf(relative));
        }

        public void Dispose() => _dir.Dispose();
    }
}
