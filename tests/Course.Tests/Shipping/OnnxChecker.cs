using System.Diagnostics;

namespace Course.Tests.Shipping;

/// <summary>
/// ONNX's own checker (Debian's python3-onnx), with full shape inference, run on a file we wrote. Installed with apt-get
/// when the tests run as root; otherwise the tests fail with the command to run.
/// </summary>
internal static class OnnxChecker
{
    private const string Python = "/usr/bin/python3";
    private const string Install = "apt-get update && apt-get install -y python3-onnx";
    private static readonly Lazy<bool> Installed = new(EnsureInstalled);

    /// <summary>Throws with the checker's message when <paramref name="path"/> is not a valid ONNX model.</summary>
    public static void Check(string path)
    {
        _ = Installed.Value;
        var (code, output) = RunProcess(Python, ["-c", "import onnx, sys; onnx.checker.check_model(sys.argv[1], full_check=True); print(onnx.load(sys.argv[1]).opset_import[0].version)", path]);
        if (code != 0) throw new InvalidOperationException($"onnx.checker rejected {path}:\n{output}");
    }

    private static bool EnsureInstalled()
    {
        if (RunProcess(Python, ["-c", "import onnx"]).Code == 0) return true;
        if (!Environment.IsPrivilegedProcess || !File.Exists("/usr/bin/apt-get"))
            throw new InvalidOperationException($"The ONNX tests need Debian's python3-onnx. Install it: sudo sh -c '{Install}'");
        var (code, output) = RunProcess("sh", ["-c", Install]);
        if (code != 0 || RunProcess(Python, ["-c", "import onnx"]).Code != 0)
            throw new InvalidOperationException($"`{Install}` failed (exit {code}); run it by hand.\n{output}");
        return true;
    }

    private static (int Code, string Output) RunProcess(string file, string[] arguments)
    {
        var start = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Result + error);
    }
}
