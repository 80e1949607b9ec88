namespace Course.Training;

/// <summary>A training loop as a progress display sees it: how far it is, what each step measured, and how to run it
/// until done or cancelled. GPT pretraining (<see cref="Trainer"/>) and image classification
/// (<see cref="Vision.ImageClassifierTrainer"/>) are both one.</summary>
public interface ITrainingLoop
{
    TrainingOptions Options { get; }

    /// <summary>Optimizer steps completed.</summary>
    int Step { get; }

    event Action<StepMetrics>? StepCompleted;

    /// <summary>Trains up to Options.MaxSteps; when <paramref name="cancellation"/> fires, finishes the step in progress,
    /// saves the latest checkpoint and returns.</summary>
    void Run(CancellationToken cancellation = default);
}
