using System.Text.Json.Nodes;
using Course.Notebooks.Kernel;

namespace Course.Notebooks.Tests.Jupyter;

/// <summary>
/// Jupyter's own tools, which no one here wrote, as the tests use them: Debian's nbclient/nbconvert and
/// jupyter_client (tools/jupyter/ensure.sh installs them when missing, or fails naming the command), and the two C#
/// kernels registered in a Jupyter folder of this test build, which child processes see alone (JUPYTER_PATH and
/// friends), so a user's own Jupyter set-up cannot interfere.
/// </summary>
internal static class JupyterTools
{
    public const string Python = "/usr/bin/python3";

    /// <summary>The name tools/jupyter/official-kernel.sh registers the .NET Interactive kernel under.</summary>
    public const string OfficialKernel = ".net-csharp";

    /// <summary>This build's kernel, under the name the chapters' metadata asks for.</summary>
    public const string CourseKernel = KernelIdentity.DefaultName;

    private static readonly Lazy<Task> Installed = new(() => Succeed("bash", ["tools/jupyter/ensure.sh"]));
    private static readonly Lazy<Task> InstalledWithBrowser = new(() => Succeed("bash", ["tools/jupyter/ensure.sh", "--browser"]));
    private static readonly Lazy<Task<IReadOnlyDictionary<string, string>>> Prepared = new(PrepareAsync);

    /// <summary>Makes sure Debian's Jupyter packages are installed (once per test run); with <paramref name="browser"/>
    /// also the classic Notebook UI and Chromium with its driver.</summary>
    public static Task EnsureInstalledAsync(bool browser = false) => browser ? InstalledWithBrowser.Value : Installed.Value;

    /// <summary>The environment for a Jupyter child process: this run's kernelspecs and Jupyter folders (set up once).</summary>
    public static Task<IReadOnlyDictionary<string, string>> EnvironmentAsync() => Prepared.Value;

    private static async Task<IReadOnlyDictionary<string, string>> PrepareAsync()
    {
        await EnsureInstalledAsync();
        // Inside the build output: rewritten on every run, never left in the system's temp folder.
        var root = Path.Combine(AppContext.BaseDirectory, "jupyter");
        await Succeed("bash", ["tools/jupyter/official-kernel.sh", "--prefix", root]);
        KernelSpecInstaller.Install(new KernelSpecTarget.Prefix(root), CourseKernel);
        return new Dictionary<string, string>
        {
            ["JUPYTER_PATH"] = Path.Combine(root, "share", "jupyter"),
            ["JUPYTER_DATA_DIR"] = Path.Combine(root, "data"),
            ["JUPYTER_RUNTIME_DIR"] = Path.Combine(root, "runtime"),
            ["JUPYTER_CONFIG_DIR"] = Path.Combine(root, "config"),
            ["PYTHONDONTWRITEBYTECODE"] = "1",
            ["PYTHONUNBUFFERED"] = "1",
        };
    }

    /// <summary>Runs a Python script or module with the Jupyter environment (plus <paramref name="extra"/> variables).</summary>
    public static async Task<ProcessResult> PythonAsync(IEnumerable<string> arguments, TimeSpan timeout, IReadOnlyDictionary<string, string>? extra = null)
    {
        var environment = new Dictionary<string, string>(await EnvironmentAsync());
        foreach (var (name, value) in extra ?? new Dictionary<string, string>()) environment[name] = value;
        return await ChildProcess.RunAsync(Python, arguments, timeout, environment: environment);
    }

    /// <summary>Executes a notebook with nbconvert (nbclient underneath) in the named kernel; the executed copy goes to
    /// <paramref name="outputDirectory"/>. Returns nbconvert's exit code and log.</summary>
    public static Task<ProcessResult> ExecuteAsync(string notebook, string kernel, string outputDirectory, TimeSpan timeout) =>
        PythonAsync(["-m", "nbconvert", "--to", "notebook", "--execute", $"--ExecutePreprocessor.kernel_name={kernel}",
             $"--ExecutePreprocessor.timeout={(int)timeout.TotalSeconds}", "--ExecutePreprocessor.startup_timeout=300",
             "--output-dir", outputDirectory, notebook],
            timeout + TimeSpan.FromMinutes(2));

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
