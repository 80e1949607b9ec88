using System.Globalization;
using Course.Notebooks;

// Minimal command line for using the runner alone; the course CLI calls NotebookRunner and NotebookExporter directly.
const string Usage = """
    Usage:
      Course.Notebooks run <notebook.ipynb>... [-p Name=Value]... [-o <folder>] [--timeout <seconds>] [--echo]
      Course.Notebooks export <notebook.ipynb> [-o <file.cs>]
    """;

try
{
    return args switch
    {
        [WorkerProcess.Verb, var notebook, var baseDirectory] => await Exit(NotebookWorker.RunAsync(notebook, baseDirectory)),
        ["run", .. var rest] => await Run(rest),
        ["export", var notebook, "-o", var output] => Export(notebook, output),
        ["export", var notebook] => Export(notebook, null),
        _ => Fail(Usage),
    };
}
catch (Exception e) when (e is NotebookException or ArgumentException or FileNotFoundException or InvalidDataException)
{
    return Fail(e.Message);
}

static async Task<int> Run(string[] args)
{
    var paths = new List<string>();
    var parameters = new List<string>();
    string? output = null;
    double timeout = new RunOptions().CellTimeout.TotalSeconds;
    bool echo = false;
    for (int i = 0; i < args.Length; i++)
    {
        switch (args[i])
        {
            case "-p" or "--parameter": parameters.Add(Value(args, ref i)); break;
            case "-o" or "--output": output = Value(args, ref i); break;
            case "--timeout":
                var text = Value(args, ref i);
                if (!double.TryParse(text, CultureInfo.InvariantCulture, out timeout) || timeout <= 0)
                    throw new ArgumentException($"--timeout '{text}' is not a positive number of seconds.");
                break;
            case "--echo": echo = true; break;
            case var option when option.StartsWith('-'): throw new ArgumentException($"Unknown option '{option}'.\n{Usage}");
            default: paths.Add(args[i]); break;
        }
    }
    if (paths.Count == 0) throw new ArgumentException($"No notebook given.\n{Usage}");
    var options = new RunOptions
    {
        OutputDirectory = output,
        Parameters = RunOptions.ParseParameters(parameters),
        CellTimeout = TimeSpan.FromSeconds(timeout),
        Log = Console.Out,
        Echo = echo,
    };
    var results = await NotebookRunner.RunAsync(paths, options);
    return results.All(r => r.Succeeded) ? 0 : 1;
}

static string Value(string[] args, ref int i) =>
    ++i < args.Length ? args[i] : throw new ArgumentException($"Option '{args[i - 1]}' needs a value.\n{Usage}");

static int Export(string notebook, string? output)
{
    Console.WriteLine($"Wrote {NotebookExporter.Export(notebook, output)}");
    return 0;
}

static int Fail(string message)
{
    Console.Error.WriteLine(message);
    return 2;
}

// The worker ends the process itself: threads a notebook started must not keep it alive after the last cell.
static async Task<int> Exit(Task<int> worker)
{
    var code = await worker;
    Console.Out.Flush();
    Environment.Exit(code);
    return code;
}
