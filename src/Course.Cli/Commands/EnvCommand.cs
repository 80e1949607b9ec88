using System.CommandLine;
using Spectre.Console;

namespace Course.Cli.Commands;

/// <summary>`course env`: what this machine gives the course (versions, backend, devices, threads, cache).</summary>
public static class EnvCommand
{
    public static Command Create()
    {
        var command = new Command("env", "Report TorchSharp and libtorch versions, the backend, CUDA devices, threads and the corpus cache.");
        command.SetAction(_ =>
        {
            var table = new Table().AddColumns("", "value");
            foreach (var (name, value) in EnvironmentReport.Describe()) table.AddRow(name, Markup.Escape(value));
            AnsiConsole.Console.Write(table);
            return 0;
        });
        return command;
    }
}
