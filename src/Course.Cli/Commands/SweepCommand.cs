using System.CommandLine;
using Course.Data;
using Course.Experiments;
using Course.Models;
using Spectre.Console;

namespace Course.Cli.Commands;

/// <summary>`course sweep`: pretrain one small model per hyperparameter setting, resumably: one after another here, or as a Slurm job array.</summary>
public static class SweepCommand
{
    public static Command Create()
    {
        var grid = new Option<string?>("--grid") { Description = "Every combination of NAME=V1,V2;NAME=... e.g. \"lr=1e-3,3e-3;n_embd=32,64\"." };
        var random = new Option<int?>("--random") { Description = "Draw this many trials at random from --space instead of a grid." };
        var space = new Option<string?>("--space") { Description = "The values --random draws from, written like --grid." };
        var budget = new Option<int?>("--budget") { Description = "Run at most this many trials (default: all of the plan)." };
        var steps = new Option<int>("--steps") { Description = "Optimizer steps per trial.", DefaultValueFactory = _ => 100 };
        var preset = new Option<string>("--preset") { Description = "The base model and recipe the trials change.", DefaultValueFactory = _ => "tiny" };
        var corpus = new Option<string>("--corpus") { Description = "Corpus name or text file.", DefaultValueFactory = _ => Corpora.Default };
        var seed = new Option<long>("--seed") { Description = "Seed of every trial (and of the random draws).", DefaultValueFactory = _ => 1337 };
        var device = new Option<string>("--device") { Description = "auto, cpu or cuda.", DefaultValueFactory = _ => "auto" };
        device.AcceptOnlyFromAmong(DeviceChoice.Values);
        var output = new Option<string?>("--out") { Description = "Sweep folder (default: runs/sweep-TIMESTAMP); run again with the same --out to resume." };
        var command = new Command("sweep", "Hyperparameter sweep of small pretraining runs; finished trials are never rerun.")
        {
            grid, random, space, budget, steps, preset, corpus, seed, device, output,
        };
        var executor = new SweepExecutorOptions();
        executor.AddTo(command);
        command.Add(SweepStatusCommand.Create());
        command.Add(SweepTrialCommand.Create());
        command.SetAction(parse =>
        {
            var (gridText, spaceText, draws) = (parse.GetValue(grid), parse.GetValue(space), parse.GetValue(random));
            if ((gridText is null) == (draws is null))
                throw new UserError("Give either --grid \"NAME=V1,V2;...\" or --random N --space \"NAME=V1,V2;...\".");
            if (draws is not null && spaceText is null) throw new UserError("--random needs --space \"NAME=V1,V2;...\" to draw from.");
            var searchText = gridText ?? spaceText!;
            var planned = draws ?? SearchSpace.Parse(searchText).Grid().Count;
            var corpusName = parse.GetValue(corpus)!;
            var spec = new SweepSpec(searchText, draws, parse.GetValue(budget) ?? planned, parse.GetValue(steps), parse.GetValue(preset)!, corpusName, parse.GetValue(seed)).Validate();
            var slurm = executor.Read(parse);
            var sweep = new Sweep(parse.GetValue(output) ?? Path.Combine("runs", $"sweep-{DateTime.Now:yyyyMMdd-HHmmss}"), spec);
            using var folderLock = FolderLock.Acquire(sweep.Directory, "sweep folder");
            var corpusText = Corpora.Load(corpusName);
            Lines.Write($"[bold]course sweep[/]: {spec.Plan().Count} trials of {spec.Steps} steps ({Markup.Escape(searchText)}) in {Markup.Escape(sweep.Directory)}");
            // The corpus is loaded (fetched into the cache) either way: Slurm's trials then all read it from there.
            if (slurm is not null) return SlurmSweepRun.Run(sweep, slurm, parse.GetValue(device)!, executor.Detach(parse), executor.CancelOnExit(parse));
            var ran = sweep.Run(corpusText, DeviceChoice.Resolve(parse.GetValue(device)!), line => Lines.Write(Markup.Escape(line)));
            Lines.Write($"Ran {ran.Count} trial(s). Compare them with: course runs compare {Markup.Escape(sweep.Directory)}");
            RunsCommand.PrintTable(new RunComparison([sweep.Directory]));
            return 0;
        });
        return command;
    }
}
