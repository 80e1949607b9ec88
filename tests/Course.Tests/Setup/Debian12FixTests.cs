using Course.Testing;
using System.Diagnostics;
using System.IO.Compression;
using Course.Tests.DevContainer;

namespace Course.Tests.Setup;

/// <summary>
/// tools/debian12-fix/apply.sh run on an unpatched libLibTorchSharp.so, taken fresh from the TorchSharp package, in a
/// package folder of its own: the state a newcomer's machine is in before `bash setup.sh`.
/// </summary>
public class Debian12FixTests
{
    [Fact]
    public void Patches_an_unpatched_library_so_that_it_loads_and_a_second_run_changes_nothing()
    {
        var packages = Path.Combine(Path.GetTempPath(), "course-debian12-fix", Guid.NewGuid().ToString("N"));
        var native = Path.Combine(packages, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native");
        Directory.CreateDirectory(native);
        var library = Path.Combine(native, "libLibTorchSharp.so");
        using (var package = ZipFile.OpenRead(Path.Combine(PackageFolder(), "torchsharp", "0.107.0", "torchsharp.0.107.0.nupkg")))
            package.GetEntry("runtimes/linux-x64/native/libLibTorchSharp.so")!.ExtractToFile(library);
        var needsFix = Run("ldd", library, packages).Output.Contains(": version `GLIBCXX_3.4.32' not found");

        var first = Run("bash", RepositoryRoot.PathOf("tools/debian12-fix/apply.sh"), packages);
        var second = Run("bash", RepositoryRoot.PathOf("tools/debian12-fix/apply.sh"), packages);
        var ldd = Run("ldd", library, packages).Output;

        Assert.Equal(0, first.ExitCode);
        Assert.Equal(0, second.ExitCode);
        Assert.Contains(needsFix ? "debian12-fix: patched" : "nothing to do", first.Output);
        Assert.Contains("nothing to do", second.Output);
        Assert.DoesNotContain(": version `GLIBCXX_3.4.32' not found", ldd);
        if (needsFix) Assert.Contains($"libglibcxx_shim.so => {native}", ldd);
        Assert.Empty(Directory.GetFiles(native, "*.tmp"));
    }

    private static string PackageFolder() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } folder
            ? folder
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    private static (int ExitCode, string Output) Run(string program, string argument, string packages)
    {
        var start = new ProcessStartInfo(program, [argument]) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["NUGET_PACKAGES"] = packages;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, output.Result + error.Result);
    }
}
