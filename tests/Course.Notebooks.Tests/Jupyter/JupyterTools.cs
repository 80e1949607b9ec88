using System.Text.Json.Nodes;

namespace Course.Notebooks.Tests.Jupyter;

/// <summary>
/// Jupyter's own tools, which no one here wrote, as the tests use them: Debian's nbclient/nbconvert and
/// jupyter_client (tools/jupyter/ensure.sh installs them when missing, or fails naming the command), and the kernels
/// registered into a folder of this test build, found through JUPYTER_PATH.
/// </summary>
internal static class JupyterTools
{
    public const string Python = "/usr/bin/python3";

    /// <summary>The name tools/jupyter/official-kernel.sh registers the .NET Interactive kernel under.</summary>
    public const string OfficialKernel = ".net-csharp";

    private static readonly Lazy<Task<string>> Prepared = new(PrepareAsync);

    /// <summary>The JUPYTER_PATH folder holding this run's kernelspecs (set up once per test run).</summary>
    public static Task<string> JupyterPathAsync() => Prepared.Value;

    private static async Task<string> PrepareAsync()
    {
        await Succeed("bash", ["tools/jupyter/ensure.sh"]);
        // Inside the build output: rewritten on every run, never left in the system's temp folder.
        var prefix = Path.Combine(AppContext.BaseDirectory, "jupyter-prefix");
        await Succeed("bash", ["tools/jupyter/official-kernel.sh", "--prefix", prefix]);
        return Path.Combine(prefix, "share", "jupyter");
    }

    /// <summary>Executes a notebook with nbconvert (nbclient underneath) in the named kernel; the executed copy goes to
    /// <paramref name="outputDirectory"/>. Returns nbconvert's exit code and log.</summary>
    public static async Task<(int ExitCode, string Log)> ExecuteAsync(string notebook, string kernel, string outputDirectory, TimeSpan timeout)
    {
        var jupyterPath = await JupyterPathAsync();
        return await ChildProcess.RunAsync(Python,
            ["-m", "nbconvert", "--to", "notebook", "--execute", $"--ExecutePreprocessor.kernel_name={kernel}",
             $"--ExecutePreprocessor.timeout={(int)timeout.TotalSeconds}", "--ExecutePreprocessor.startup_timeout=300",
             "--output-dir", outputDirectory, notebook],
            timeout + TimeSpan.FromMinutes(2), environment: new Dictionary<string, string> { ["JUPYTER_PATH"] = jupyterPath });
    }

    /// <summary>Every error output of an executed notebook, as "cell N: ename: evalue".</summary>
    public static List<string> Errors(string executedNotebook)
    {
        var cells = JsonNode.Parse(File.ReadAllText(executedNotebook))!["cells"]!.AsArray();
        return cells.Select((cell, index) => (cell, index))
            .SelectMany(c => (c.cell!["outputs"] as JsonArray ?? []).OfType<JsonObject>()
                .Where(o => o["output_type"]?.GetValue<string>() == "error")
                .Select(o => $"cell {c.index + 1}: {o["ename"]}: {o["evalue"]}"))
            .ToList();
    }

    private static async Task Succeed(string program, string[] arguments)
    {
        var (exitCode, output) = await ChildProcess.RunAsync(program, arguments, TimeSpan.FromMinutes(10));
        if (exitCode != 0) throw new InvalidOperationException($"'{program} {string.Join(' ', arguments)}' failed ({exitCode}):\n{output}");
    }
}
