using System.CommandLine;
using Course.Notebooks.Kernel;

namespace Course.Cli.Commands;

/// <summary>`course kernel install|uninstall`: make this build's C# kernel available to Jupyter (or remove it).</summary>
public static class KernelCommand
{
    public static Command Create() => new("kernel", "Install or remove the course's C# Jupyter kernel (\"C# (course)\").")
    {
        Build("install", "Install the kernelspec (default: for the current user). Reinstalling replaces it.", (target, name) =>
            Lines.Write($"Installed the {KernelSpecInstaller.DisplayName} kernel '{name}' in {KernelSpecInstaller.Install(target, name)}")),
        Build("uninstall", "Remove the kernelspec from the same place it was installed.", (target, name) =>
            Lines.Write($"Removed the kernel '{name}' from {KernelSpecInstaller.Uninstall(target, name)}")),
    };

    private static Command Build(string verb, string description, Action<KernelSpecTarget, string> act)
    {
        var user = new Option<bool>("--user") { Description = "The user's Jupyter data folder (JUPYTER_DATA_DIR when set). The default." };
        var sysPrefix = new Option<bool>("--sys-prefix") { Description = "The Python environment of python3 on PATH (a virtualenv or conda env that runs Jupyter)." };
        var prefix = new Option<string?>("--prefix") { Description = "DIR/share/jupyter/kernels, for Jupyter installed under DIR." };
        var name = new Option<string>("--name") { Description = "The kernelspec's name.", DefaultValueFactory = _ => KernelSpecInstaller.DefaultName };
        var command = new Command(verb, description) { user, sysPrefix, prefix, name };
        command.SetAction(parse =>
        {
            var chosen = (parse.GetValue(user) ? 1 : 0) + (parse.GetValue(sysPrefix) ? 1 : 0) + (parse.GetValue(prefix) is null ? 0 : 1);
            if (chosen > 1) throw new UserError("Choose one of --user, --sys-prefix and --prefix DIR.");
            KernelSpecTarget target = parse.GetValue(sysPrefix) ? new KernelSpecTarget.SysPrefix()
                : parse.GetValue(prefix) is { } directory ? new KernelSpecTarget.Prefix(directory)
                : new KernelSpecTarget.User();
            act(target, parse.GetValue(name)!);
            return 0;
        });
        return command;
    }
}
