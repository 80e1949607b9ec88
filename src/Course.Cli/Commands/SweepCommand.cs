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
        var bayes = new Option<int?>("--bayes") { Description = "Run this many trials of Bayesian optimisation over --space: a few random ones, then each proposed by a Gaussian process from the finished trials' validation losses." };
        var space = new Option<string?>("--space") { Description = "What --random and --bayes search: lists as in --grid, or ranges LOW..HIGH with :log and :int, e.g. \"lr=1e-4..1e-2:log;n_layer=1..4:int\"." };
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
            grid, random, bayes, space, budget, steps, preset, corpus, seed, device, output,
        };
        var executor = new SweepExecutorOptions();
        executor.AddTo(command);
        command.Add(SweepStatusCommand.Create());
        command.Add(SweepTrialCommand.Create());
        command.SetAction(parse =>
        {
            var (gridText, spaceText, draws, bayesTrials) = (parse.GetValue(grid), parse.GetValue(space), parse.GetValue(random), parse.GetValue(bayes));
            if (new object?[] { gridText, draws, bayesTrials }.Count(o => o is not null) != 1)
                throw new UserError("Give one of --grid \"NAME=V1,V2;...\", --random N --space \"...\" or --bayes N --space \"...\".");
            if (gridText is null && spaceText is null) throw new UserError($"--{(draws is null ? "bayes" : "random")} needs --space \"NAME=V1,V2;NAME=LOW..HIGH\" to search.");
            var searchText = gridText ?? spaceText!;
            var trials = draws ?? bayesTrials;
            var corpusName = parse.GetValue(corpus)!;
            var spec = new SweepSpec(searchText, trials, parse.GetValue(budget) ?? trials ?? SearchSpace.Parse(searchText).Grid().Count, parse.GetValue(steps),
                parse.GetValue(preset)!, corpusName, parse.GetValue(seed), Bayesian: bayesTrials is not null).Validate();
            var slurm = executor.Read(parse);
            if (slurm is not null && spec.Bayesian)
                throw new UserError("A Bayesian sweep proposes each trial from the finished ones, so it cannot submit its trials at once as a Slurm array; use --executor local (or --random with Slurm).");
            var sweep = new Sweep(parse.GetValue(output) ?? Path.Combine("runs", $"sweep-{DateTime.Now:yyyyMMdd-HHmmss}"), spec);
            using var folderLock = FolderLock.Acquire(sweep.Directory, "sweep folder");
            var corpusText = Corpora.Load(corpusName);
            Lines.Write($"[bold]course sweep[/]: {spec.TrialCount} trials of {spec.Steps} steps ({Markup.Escape(searchText)}) in {Markup.Escape(sweep.Directory)}");
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
