using System.CommandLine;
using Course.Cli;
using Course.Cli.Commands;

var root = new RootCommand("The course's command line: pretrain a GPT, sample from it, evaluate it, and report the environment.")
{
    PretrainCommand.Create(),
    SampleCommand.Create(),
    EvaluateCommand.Create(),
    EnvCommand.Create(),
    NotebooksCommand.Create(),
    KernelCommand.Create(),
    BenchCommand.Create(),
    DataCommand.Create(),
    ReferenceCommand.Create(),
    FinetuneCommand.Create(),
    SftCommand.Create(),
    EvaluateClassifierCommand.Create(),
    SweepCommand.Create(),
    RunsCommand.Create(),
    ExportCommand.Create(),
    ServeCommand.Create(),
    CompressCommand.Create(),
    VisionCommand.Create(),
    CheckCommand.Create(),
};
// Redirected output (logs, CI) has no terminal width; Spectre would assume 80 columns and wrap tables and panels.
if (Console.IsOutputRedirected) Spectre.Console.AnsiConsole.Profile.Width = 120;
return UserErrors.Run(root, args);
