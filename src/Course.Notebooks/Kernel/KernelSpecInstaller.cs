using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Course.Notebooks.Kernel;

/// <summary>Where a kernelspec goes, as `jupyter kernelspec install` names it.</summary>
public abstract record KernelSpecTarget
{
    /// <summary>The user's Jupyter data folder (JUPYTER_DATA_DIR when set).</summary>
    public sealed record User : KernelSpecTarget;

    /// <summary>The Python environment of `python3` on PATH (a virtualenv or conda env that runs Jupyter).</summary>
    public sealed record SysPrefix : KernelSpecTarget;

    /// <summary>DIR/share/jupyter/kernels; Jupyter finds it when DIR is its prefix or DIR/share/jupyter is on JUPYTER_PATH.</summary>
    public sealed record Prefix(string Directory) : KernelSpecTarget;
}

/// <summary>
/// Installs this kernel for Jupyter: a folder holding kernel.json (how to start the kernel: this build's
/// Course.Notebooks.dll, run by the dotnet host, as the notebook runner starts its worker) and two logos.
/// </summary>
public static partial class KernelSpecInstaller
{
    public const string DefaultName = KernelIdentity.DefaultName;
    public const string DisplayName = KernelIdentity.DisplayName;

    /// <summary>Writes the kernelspec, replacing one of the same name; returns its folder.</summary>
    public static string Install(KernelSpecTarget target, string name = DefaultName)
    {
        var folder = Path.Combine(KernelsDirectory(target), CheckName(name));
        // Written beside the target and renamed, so Jupyter never lists a half-written kernelspec.
        var staging = folder + ".installing";
        if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        Directory.CreateDirectory(staging);
        File.WriteAllText(Path.Combine(staging, "kernel.json"), KernelJson().ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        File.WriteAllBytes(Path.Combine(staging, "logo-32x32.png"), KernelLogo.Png(32));
        File.WriteAllBytes(Path.Combine(staging, "logo-64x64.png"), KernelLogo.Png(64));
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        Directory.Move(staging, folder);
        return folder;
    }

    /// <summary>Removes the kernelspec; returns the folder removed.</summary>
    public static string Uninstall(KernelSpecTarget target, string name = DefaultName)
    {
        var folder = Path.Combine(KernelsDirectory(target), CheckName(name));
        if (!Directory.Exists(folder))
            throw new UserError($"No kernelspec '{name}' at {folder}; `jupyter kernelspec list` shows where kernels are installed.");
        Directory.Delete(folder, recursive: true);
        return folder;
    }

    /// <summary>kernel.json: argv starts this build's kernel; "message" interrupts send interrupt_request on control.</summary>
    public static JsonObject KernelJson()
    {
        var assembly = typeof(KernelSpecInstaller).Assembly.Location;
        var (program, prefix) = WorkerProcess.Launcher(assembly);
        var argv = new JsonArray(program);
        foreach (var argument in prefix.Concat([KernelEntry.Verb, "-f", "{connection_file}"])) argv.Add(argument);
        return new JsonObject
        {
            ["argv"] = argv,
            ["display_name"] = DisplayName,
            ["language"] = KernelIdentity.Language,
            ["interrupt_mode"] = "message",
            ["metadata"] = new JsonObject { ["debugger"] = false },
        };
    }

    public static string KernelsDirectory(KernelSpecTarget target) => target switch
    {
        KernelSpecTarget.User => Path.Combine(UserDataDirectory(), "kernels"),
        KernelSpecTarget.SysPrefix => Path.Combine(PythonPrefix(), "share", "jupyter", "kernels"),
        KernelSpecTarget.Prefix p => Path.Combine(Path.GetFullPath(p.Directory), "share", "jupyter", "kernels"),
        _ => throw new ArgumentOutOfRangeException(nameof(target)),
    };

    /// <summary>Jupyter's user data folder, as jupyter_core computes it.</summary>
    public static string UserDataDirectory()
    {
        if (Environment.GetEnvironmentVariable("JUPYTER_DATA_DIR") is { Length: > 0 } configured) return Path.GetFullPath(configured);
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (OperatingSystem.IsWindows())
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData), "jupyter");
        if (OperatingSystem.IsMacOS()) return Path.Combine(home, "Library", "Jupyter");
        var xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        return Path.Combine(xdg is { Length: > 0 } ? xdg : Path.Combine(home, ".local", "share"), "jupyter");
    }

    /// <summary>sys.prefix of the Python that runs Jupyter: `python3` on PATH (`python` on Windows).</summary>
    private static string PythonPrefix()
    {
        var start = OperatingSystem.IsWindows() ? new ProcessStartInfo("python") : new ProcessStartInfo("/usr/bin/env") { ArgumentList = { "python3" } };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("import sys; print(sys.prefix)");
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        try
        {
            using var python = Process.Start(start)!;
            var prefix = python.StandardOutput.ReadToEnd().Trim();
            python.WaitForExit();
            if (python.ExitCode == 0 && prefix.Length > 0) return prefix;
            throw new UserError($"python3 could not report sys.prefix ({python.StandardError.ReadToEnd().Trim()}); use --user or --prefix DIR instead.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new UserError($"--sys-prefix asks python3 for its sys.prefix, but it could not be run ({e.Message}); activate the Python environment that runs Jupyter, or use --user or --prefix DIR.");
        }
    }

    private static string CheckName(string name) => KernelName().IsMatch(name)
        ? name
        : throw new UserError($"'{name}' is not a kernel name Jupyter accepts; use letters, digits, '.', '_' and '-' only.");

    [GeneratedRegex("^[A-Za-z0-9._-]+$")]
    private static partial Regex KernelName();
}
