using Course.Experiments;
using Course.Training;
using Spectre.Console;

namespace Course.Cli;

/// <summary>A trainer run until done or stopped by a signal, with run.json kept true to how it ended: failed when
/// the loss diverges, interrupted (and the user told how to resume) when stopped. `pretrain` and `sft` share it.</summary>
public static class RecordedTraining
{
    /// <returns>Whether a stop signal ended the run early.</returns>
    public static bool Run(Trainer trainer, RunRecord record, string runDirectory)
    {
        bool interrupted;
        try
        {
            interrupted = Interruptible.Run(token => TrainingDisplay.Run(trainer, token));
        }
        catch (DivergedException)
        {
            record.Finish(RunRecord.Failed, RunRecord.LossMetrics(runDirectory)).Save(runDirectory);
            throw;
        }
        if (interrupted)
        {
            record.Finish(RunRecord.Interrupted, RunRecord.LossMetrics(runDirectory)).Save(runDirectory);
            Lines.Write($"[yellow]Interrupted at step {trainer.Step}.[/] Checkpoint saved to {Markup.Escape(Path.Combine(runDirectory, Trainer.LatestCheckpoint))}; " +
                        $"continue with --out {Markup.Escape(runDirectory)} --resume.");
        }
        return interrupted;
    }
}
