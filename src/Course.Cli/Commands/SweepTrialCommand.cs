using System.CommandLine;
using Course.Data;
using Course.Experiments;
using Spectre.Console;

namespace Course.Cli.Commands;

/// <summary>`course sweep trial DIR --index N`: one trial of a recorded sweep, as a Slurm array task runs it (hidden:
/// the batch script calls it, people call `course sweep`).</summary>
internal static class SweepTrialCommand
{
    public static Command Create()
    {
        var folder = new Argument<string>("sweep") { Description = "The sweep folder." };
        var index = new Option<int>("--index") { Description = "The trial's index in the sweep's plan.", Required = true };
        var device = new Option<string>("--device") { Description = "auto, cpu or cuda.", DefaultValueFactory = _ => "auto" };
        device.AcceptOnlyFromAmong(DeviceChoice.Values);
        var command = new Command("trial", "Run one trial of a sweep folder (what each Slurm array task does).") { folder, index, device };
        command.Hidden = true;
        command.SetAction(parse =>
        {
            var sweep = SweepStatus.Open(parse.GetValue(folder)!);
            var trial = parse.GetValue(index);
            var plan = sweep.Spec.Plan();
            if (trial < 0 || trial >= plan.Count) throw new UserError($"Trial {trial} is not in the plan of {sweep.Directory}, which has trials 0 to {plan.Count - 1}.");
            var job = Environment.GetEnvironmentVariable("SLURM_ARRAY_JOB_ID") is { } id ? $" (Slurm job {id}_{trial} on {Environment.MachineName})" : "";
            Lines.Write($"course sweep trial {trial} of {Markup.Escape(sweep.Directory)}{Markup.Escape(job)}");
            var corpus = Corpora.Load(sweep.Spec.Corpus);
            var target = DeviceChoice.Resolve(parse.GetValue(device)!);
            var interrupted = Interruptible.Run(cancellation => sweep.Run(corpus, target, line => Lines.Write(Markup.Escape(line)), cancellation, only: new HashSet<int> { trial }));
            if (interrupted) return UserErrors.ExitInterrupted;
            var record = RunRecord.Load(sweep.TrialDirectory(trial));
            Lines.Write($"trial {trial} {record.Status}: {string.Join(", ", record.FinalMetrics.Select(m => $"{m.Key} {m.Value:G6}"))}");
            return 0;
        });
        return command;
    }
}
