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
    BenchCommand.Create(),
    ReferenceCommand.Create(),
};
return UserErrors.Run(() => root.Parse(args).Invoke());
