using System.CommandLine;
using System.Reflection;
using System.Runtime.InteropServices;
using Course.Data;
using Spectre.Console;
using TorchSharp;

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
            foreach (var (name, value) in Describe()) table.AddRow(name, Markup.Escape(value));
            AnsiConsole.Console.Write(table);
            return 0;
        });
        return command;
    }

    public static IEnumerable<(string Name, string Value)> Describe()
    {
        var courseAssembly = typeof(Corpora).Assembly;
        yield return (".NET", RuntimeInformation.FrameworkDescription);
        yield return ("OS", $"{RuntimeInformation.OSDescription} ({RuntimeInformation.OSArchitecture})");
        yield return ("TorchSharp", typeof(torch).Assembly.GetName().Version?.ToString() ?? "?");
        yield return ("libtorch", torch.__version__);
        yield return ("backend (TorchBackend)", courseAssembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "TorchBackend")?.Value ?? "?");
        var cuda = torch.cuda.is_available();
        yield return ("CUDA available", cuda ? $"yes, {torch.cuda.device_count()} device(s)" : "no");
        yield return ("CPU cores / torch threads", $"{Environment.ProcessorCount} / {torch.get_num_threads()}");
        yield return ("corpus cache", CacheDirectory.Resolve());
    }
}
