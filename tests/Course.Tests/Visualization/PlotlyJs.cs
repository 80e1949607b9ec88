using System.Diagnostics;
using Course.Visualization;

namespace Course.Tests.Visualization;

/// <summary>plotly.js from npm, the release the saved pages load from the CDN, installed once into the temp folder.</summary>
public static class PlotlyJs
{
    private static readonly Lazy<string> Script = new(Install);

    /// <summary>The path of plotly.min.js.</summary>
    public static string Path => Script.Value;

    private static string Install()
    {
        var folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"course-plotly.js-{FigurePage.PlotlyVersion}");
        var script = System.IO.Path.Combine(folder, "node_modules", "plotly.js-dist-min", "plotly.min.js");
        if (File.Exists(script)) return script;
        // Into a folder of its own, then moved: a run stopped half-way leaves no half installation to reuse.
        var staging = Directory.CreateTempSubdirectory("course-plotly.js-").FullName;
        var arguments = $"install --prefix {staging} --no-save --no-audit --no-fund plotly.js-dist-min@{FigurePage.PlotlyVersion}";
        try
        {
            using var npm = Process.Start(new ProcessStartInfo("npm", arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var output = npm.StandardOutput.ReadToEndAsync();
            var error = npm.StandardError.ReadToEnd();
            npm.WaitForExit();
            if (npm.ExitCode != 0)
                throw new InvalidOperationException($"`npm {arguments}` failed (exit {npm.ExitCode}):\n{output.Result}\n{error}");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new InvalidOperationException("The plotly.js tests install plotly.js with npm, which is not on PATH. Install Node.js and npm (sudo apt-get install -y npm).");
        }
        try { Directory.Move(staging, folder); }
        catch (IOException) when (File.Exists(script)) { /* another run installed it meanwhile */ }
        return script;
    }
}
