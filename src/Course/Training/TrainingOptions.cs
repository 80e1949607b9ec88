namespace Course.Training;

/// <summary>
/// How to train: steps, batch, schedule, AdamW, clipping and evaluation. Defaults follow nanoGPT's
/// shakespeare_char recipe where it has one.
/// </summary>
public sealed record TrainingOptions
{
    public int MaxSteps { get; init; } = 5000;
    /// <summary>Sequences per micro-batch.</summary>
    public int BatchSize { get; init; } = 64;
    /// <summary>Micro-batches whose gradients add up before one update: the effective batch is BatchSize × this.</summary>
    public int GradientAccumulationSteps { get; init; } = 1;
    public double LearningRate { get; init; } = 1e-3;
    public double MinLearningRate { get; init; } = 1e-4;
    public int WarmupSteps { get; init; } = 100;
    /// <summary>Step at which the cosine decay reaches the minimum; by default the last step.</summary>
    public int? DecaySteps { get; init; }
    public double WeightDecay { get; init; } = 0.1;
    public double Beta1 { get; init; } = 0.9;
    public double Beta2 { get; init; } = 0.99;
    /// <summary>Clip the global gradient norm to this; 0 turns clipping off (the norm is still reported).</summary>
    public double GradClip { get; init; } = 1.0;
    public int EvalInterval { get; init; } = 250;
    /// <summary>Steps between saves of checkpoints/latest, so a killed run loses at most this many steps
    /// (null: every EvalInterval steps, as nanoGPT saves at each evaluation).</summary>
    public int? SaveInterval { get; init; }
    /// <summary>Validation batches averaged per evaluation.</summary>
    public int EvalBatches { get; init; } = 200;
    public long Seed { get; init; } = 1337;
    /// <summary>Number formats for the forward and backward passes; see <see cref="Training.Precision"/>.</summary>
    public Precision Precision { get; init; } = Precision.Fp32;
    /// <summary>The device's peak TFLOP/s at the training precision, for MFU in the metrics (null: not reported).</summary>
    public double? PeakTflops { get; init; }

    /// <summary>The same options with this peak learning rate, decaying to a tenth of it, as nanoGPT's recipes do.</summary>
    public TrainingOptions WithLearningRate(double peak) => this with { LearningRate = peak, MinLearningRate = peak / 10 };

    [System.Text.Json.Serialization.JsonIgnore]
    public LearningRateSchedule Schedule => new(LearningRate, MinLearningRate, WarmupSteps, DecaySteps ?? MaxSteps);

    /// <summary>Steps between saves of checkpoints/latest.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int CheckpointInterval => SaveInterval ?? EvalInterval;

    /// <summary>Checks every option, naming the one out of range.</summary>
    /// <exception cref="UserError">An option is not a finite number in its range.</exception>
    public TrainingOptions Validate()
    {
        void Positive(double value, string name)
        {
            if (!(value > 0)) throw new UserError($"{name} must be positive (got {value}).");
        }
        void Finite(double value, string name)
        {
            if (!double.IsFinite(value)) throw new UserError($"{name} must be a finite number (got {value}).");
        }
        Positive(MaxSteps, "Steps");
        Positive(BatchSize, nameof(BatchSize));
        Positive(GradientAccumulationSteps, nameof(GradientAccumulationSteps));
        if ((long)BatchSize * GradientAccumulationSteps > int.MaxValue)
            throw new UserError($"BatchSize × GradientAccumulationSteps ({(long)BatchSize * GradientAccumulationSteps:N0} sequences per step) is too large; use fewer.");
        Finite(LearningRate, nameof(LearningRate));
        Positive(LearningRate, nameof(LearningRate));
        Positive(EvalInterval, nameof(EvalInterval));
        Positive(EvalBatches, nameof(EvalBatches));
        if (SaveInterval is int every) Positive(every, nameof(SaveInterval));
        Finite(MinLearningRate, nameof(MinLearningRate));
        if (MinLearningRate < 0 || MinLearningRate > LearningRate) throw new UserError($"MinLearningRate must be in [0, LearningRate] (got {MinLearningRate}).");
        if (WarmupSteps < 0) throw new UserError($"WarmupSteps must be ≥ 0 (got {WarmupSteps}).");
        Finite(WeightDecay, nameof(WeightDecay));
        if (WeightDecay < 0) throw new UserError($"WeightDecay must be ≥ 0 (got {WeightDecay}).");
        if (!(Beta1 is >= 0 and < 1) || !(Beta2 is >= 0 and < 1)) throw new UserError($"Beta1 and Beta2 must be in [0, 1) (got {Beta1} and {Beta2}).");
        Finite(GradClip, nameof(GradClip));
        if (GradClip < 0) throw new UserError($"GradClip must be ≥ 0 (got {GradClip}).");
        if (PeakTflops is double peak) { Finite(peak, nameof(PeakTflops)); Positive(peak, nameof(PeakTflops)); }
        return this;
    }
}
