using System.Text.Json.Nodes;
using Course.Notebooks.Kernel;

namespace Course.Notebooks.Tests.Jupyter;

/// <summary>What `course kernel install` and `uninstall` do (KernelSpecInstaller), as Jupyter itself lists kernels.</summary>
public sealed class KernelSpecListTests
{
    [Fact]
    public async Task Jupyter_lists_the_installed_kernel_and_forgets_it_after_uninstall()
    {
        using var prefix = new TempFolder();
        var installed = KernelSpecInstaller.Install(new KernelSpecTarget.Prefix(prefix.Path));
        var environment = new Dictionary<string, string> { ["JUPYTER_PATH"] = prefix["share/jupyter"] };

        var listed = await KernelSpecs(environment);
        var spec = Assert.IsType<JsonObject>(listed[KernelIdentity.DefaultName]);
        Assert.Equal(installed, spec["resource_dir"]!.GetValue<string>());
        Assert.Equal(KernelIdentity.DisplayName, spec["spec"]!["display_name"]!.GetValue<string>());
        Assert.Equal("message", spec["spec"]!["interrupt_mode"]!.GetValue<string>());

        KernelSpecInstaller.Uninstall(new KernelSpecTarget.Prefix(prefix.Path));
        Assert.False((await KernelSpecs(environment)).ContainsKey(KernelIdentity.DefaultName));
    }

    private static async Task<JsonObject> KernelSpecs(IReadOnlyDictionary<string, string> environment)
    {
        await JupyterTools.EnsureInstalledAsync();
        var run = await ChildProcess.RunAsync(JupyterTools.Python, ["-m", "jupyter_client.kernelspecapp", "list", "--json"], TimeSpan.FromMinutes(1), environment: environment);
        Assert.True(run.ExitCode == 0, run.Output);
        return JsonNode.Parse(run.StandardOutput)!["kernelspecs"]!.AsObject();
    }
}
