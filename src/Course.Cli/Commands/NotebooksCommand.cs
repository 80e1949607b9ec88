using System.CommandLine;
using Course.Notebooks;
using Spectre.Console;

namespace Course.Cli.Commands;

/// <summary>`course notebooks run|export`: execute chapters headlessly, or turn one into a `dotnet run` file-based app.</summary>
public static class NotebooksCommand
{
    public const double MaxTimeoutSeconds = 86_400;

    public static Command Create()
    {
        var paths = new Argument<string[]>("notebooks") { Description = "Notebooks (.ipynb) to execute, in order.", Arity = ArgumentArity.OneOrMore };
        var parameters = new Option<string[]>("--parameter", "-p") { Description = "Override a variable of the notebook's parameters cell: -p Steps=20.", AllowMultipleArgumentsPerToken = false };
        var output = new Option<string?>("--output", "-o") { Description = "Write executed notebooks to this folder (default: in place)." };
        var timeout = new Option<double>("--timeout") { Description = "Seconds one cell may run before the notebook is stopped.", DefaultValueFactory = _ => new RunOptions().CellTimeout.TotalSeconds };
        var echo = new Option<bool>("--echo") { Description = "Print cell output as it happens." };
        var allowErrors = new Option<bool>("--allow-errors") { Description = "Keep running after a cell fails and record its error (as nbconvert's --allow-errors); without it only cells tagged raises-exception may fail." };
        var run = new Command("run", "Execute notebooks headlessly (each in its own process) and save their outputs.") { paths, parameters, output, timeout, echo, allowErrors };
        run.SetAction(async (parse, cancellation) =>
        {
            var seconds = parse.GetValue(timeout);
            // TimeSpan holds about 29,000 years, but a cell that runs for more than a day is stuck, not slow.
            if (!(seconds is > 0 and <= MaxTimeoutSeconds)) throw new UserError($"--timeout must be a number of seconds above 0 and at most {MaxTimeoutSeconds:N0} (got {seconds}).");
            foreach (var path in parse.GetValue(paths)!)
                if (!File.Exists(path))
                    throw new UserError(Directory.Exists(path) ? $"{path} is a folder; give the .ipynb files in it (e.g. {Path.Combine(path, "*.ipynb")})." : $"Notebook {path} does not exist.");
            var options = new RunOptions
            {
                OutputDirectory = parse.GetValue(output),
                Parameters = RunOptions.ParseParameters(parse.GetValue(parameters) ?? []),
                CellTimeout = TimeSpan.FromSeconds(seconds),
                Log = Console.Out,
                Echo = parse.GetValue(echo),
                AllowErrors = parse.GetValue(allowErrors),
            };
            var results = await NotebookRunner.RunAsync(parse.GetValue(paths)!, options, cancellation);
            foreach (var failure in results.Where(r => !r.Succeeded && r.Failure is not null))
                Lines.Write($"[red]failed:[/] {Markup.Escape(failure.Failure!.Describe(failure.Path))}");
            return results.All(r => r.Succeeded) ? 0 : 1;
        });

        var notebook = new Argument<string>("notebook") { Description = "The notebook (.ipynb) to export." };
        var file = new Option<string?>("--output", "-o") { Description = "The .cs file to write (default: beside the notebook)." };
        var export = new Command("export", "Write a notebook as a .NET 10 file-based app, runnable with `dotnet run FILE.cs`.") { notebook, file };
        export.SetAction(parse =>
        {
            AnsiConsole.Console.WriteLine($"Wrote {NotebookExporter.Export(parse.GetValue(notebook)!, parse.GetValue(file))}");
            return 0;
        });
        return new Command("notebooks", "Run or export the course's notebooks.") { run, export };
    }
}
