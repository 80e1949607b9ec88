using Course.FineTuning.Lora;
using Course.Training;

namespace Course.FineTuning;

/// <summary>How to fine-tune a classifier: the shared optimisation options (steps, batch, learning rate schedule,
/// AdamW, clipping, evaluation interval, seed), plus what is particular to fine-tuning.</summary>
public sealed record FineTuneOptions
{
    public TrainingOptions Training { get; init; } = new() { MaxSteps = 300, BatchSize = 32, LearningRate = 1e-3, MinLearningRate = 1e-4, WarmupSteps = 20, EvalInterval = 50, EvalBatches = 8, WeightDecay = 0.01 };
    /// <summary>Train only the head; the pretrained body stays as it is (a "linear probe").</summary>
    public bool FreezeBody { get; init; }
    /// <summary>"none", or "balanced": class c weighs n / (k · n_c) in the loss (scikit-learn's class_weight="balanced").</summary>
    public string ClassWeights { get; init; } = "none";
    public Pooling Pooling { get; init; } = Pooling.LastToken;
    /// <summary>Train LoRA adapters in a frozen body (and the head), or null to train the body's own weights.</summary>
    public LoraConfig? Lora { get; init; }

    public static readonly IReadOnlyList<string> ClassWeightChoices = ["none", "balanced"];

    public FineTuneOptions Validate()
    {
        Training.Validate();
        if (!ClassWeightChoices.Contains(ClassWeights))
            throw new UserError($"Unknown class weighting '{ClassWeights}'. Use one of: {string.Join(", ", ClassWeightChoices)}.");
        Lora?.Validate();
        if (Lora is not null && FreezeBody)
            throw new UserError("LoRA trains adapters inside the frozen body and --freeze-body trains the head alone: give one of --lora-rank and --freeze-body.");
        return this;
    }

    /// <summary>The loss weight of each class for <paramref name="counts"/> training examples per class, or null for
    /// none. Balanced: n / (k · n_c) with k the number of classes present, as scikit-learn; a class absent from the
    /// training split gets weight 0 (it contributes no loss term either way).</summary>
    public double[]? WeightsFor(int[] counts)
    {
        if (ClassWeights == "none") return null;
        var total = (double)counts.Sum();
        var present = counts.Count(n => n > 0);
        return counts.Select(n => n == 0 ? 0.0 : total / (present * n)).ToArray();
    }
}
