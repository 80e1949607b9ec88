using System.Diagnostics;

namespace Course.Notebooks.Tests.Jupyter;

/// <summary>Debian's classic Jupyter Notebook server on 127.0.0.1, with this test run's kernels, stopped with its kernels.</summary>
internal sealed class NotebookServer : IDisposable
{
    private readonly Process _process;
    private readonly string _url;

    public NotebookServer(string root, int port, string token)
    {
        var start = new ProcessStartInfo(JupyterTools.Python,
            ["-m", "notebook", "--no-browser", "--allow-root", "--ip=127.0.0.1", $"--port={port}", "--port-retries=0",
             $"--NotebookApp.token={token}", $"--notebook-dir={root}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in JupyterTools.EnvironmentAsync().GetAwaiter().GetResult()) start.Environment[name] = value;
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        _url = $"http://127.0.0.1:{port}/api/status?token={token}";
    }

    public async Task WaitUntilUpAsync()
    {
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"jupyter notebook exited with {_process.ExitCode} before serving.");
            try
            {
                if ((await http.GetAsync(_url)).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { } // not listening yet
            await Task.Delay(250);
        }
        throw new TimeoutException("jupyter notebook did not answer within 2 minutes.");
    }

    public void Dispose()
    {
        // Its kernels are its children: they go with it.
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
        _process.Dispose();
    }
}
