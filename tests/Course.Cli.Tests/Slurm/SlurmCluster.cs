using System.Net;
using System.Net.Sockets;
using CliWrap;
using CliWrap.Buffered;

namespace Course.Cli.Tests.Slurm;

/// <summary>
/// A real single-node Slurm for the tests: Debian's slurm-wlm and munge (installed by tools/slurm/ensure.sh when
/// missing and root, else a failure naming the command), with a private munged, slurmctld and slurmd started from
/// a configuration in a temp folder on free ports (tools/slurm/cluster.sh), and stopped, jobs and all, at the end.
/// </summary>
public sealed class SlurmCluster : IDisposable
{
    private static readonly string Scripts = Path.Combine(AppContext.BaseDirectory, "slurm");
    private readonly string _folder = Directory.CreateTempSubdirectory("course-slurm-").FullName;

    /// <summary>What a process needs to talk to this cluster: its slurm.conf.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; }

    public SlurmCluster()
    {
        Bash("ensure.sh");
        var (controllerPort, nodePort) = FreePorts();
        Bash("cluster.sh", "start", _folder, controllerPort.ToString(), nodePort.ToString());
        Environment = new Dictionary<string, string?> { ["SLURM_CONF"] = Path.Combine(_folder, "slurm.conf") };
    }

    /// <summary>Runs one of Slurm's commands against this cluster; returns what it printed.</summary>
    public string Command(string program, params string[] arguments)
    {
        var result = CliWrap.Cli.Wrap(program).WithArguments(arguments).WithEnvironmentVariables(Environment).WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync().GetAwaiter().GetResult();
        Assert.True(result.ExitCode == 0, $"{program} {string.Join(' ', arguments)} exited with {result.ExitCode}: {result.StandardError}");
        return result.StandardOutput;
    }

    public void Dispose()
    {
        Bash("cluster.sh", "stop", _folder);
        Directory.Delete(_folder, recursive: true);
    }

    private static void Bash(string script, params string[] arguments)
    {
        var result = CliWrap.Cli.Wrap("bash").WithArguments([Path.Combine(Scripts, script), .. arguments]).WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync().GetAwaiter().GetResult();
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"bash tools/slurm/{script} {string.Join(' ', arguments)} failed ({result.ExitCode}):\n{result.StandardOutput}{result.StandardError}");
    }

    // Two ports no one listens on now, so a Slurm of the system or of another test run cannot clash with this one.
    private static (int, int) FreePorts()
    {
        var first = new TcpListener(IPAddress.Loopback, 0);
        var second = new TcpListener(IPAddress.Loopback, 0);
        first.Start();
        second.Start();
        var ports = (((IPEndPoint)first.LocalEndpoint).Port, ((IPEndPoint)second.LocalEndpoint).Port);
        first.Stop();
        second.Stop();
        return ports;
    }
}

[CollectionDefinition(Name)]
public sealed class SlurmCollection : ICollectionFixture<SlurmCluster>
{
    public const string Name = "A real Slurm";
}
