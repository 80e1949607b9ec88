namespace Course.Training;

/// <summary>Training defaults for each model preset: what `course pretrain --preset NAME` uses unless told otherwise.</summary>
public static class Recipes
{
    public static TrainingOptions For(string preset) => preset switch
    {
        "tiny" => new() { MaxSteps = 200, BatchSize = 16, LearningRate = 3e-3, MinLearningRate = 3e-4, WarmupSteps = 20, EvalInterval = 50, EvalBatches = 10 },
        // Sized for the README's main job: about 5 minutes on a 2-core CPU (see README for the measured run).
        "cpu-small" => new() { MaxSteps = 600, BatchSize = 32, LearningRate = 2e-3, MinLearningRate = 2e-4, WarmupSteps = 50, EvalInterval = 100, EvalBatches = 20, WeightDecay = 0.1 },
        // nanoGPT's shakespeare_char recipe.
        "shakespeare-char" => new() { MaxSteps = 5000, BatchSize = 64, LearningRate = 1e-3, MinLearningRate = 1e-4, WarmupSteps = 100, EvalInterval = 250, EvalBatches = 200 },
        // nanoGPT's GPT-2 124M recipe per GPU (0.5M-token batches through accumulation on one GPU).
        "gpt2" or "gpt2-padded" => new() { MaxSteps = 600_000, BatchSize = 16, GradientAccumulationSteps = 32, LearningRate = 6e-4, MinLearningRate = 6e-5, WarmupSteps = 2000, Beta2 = 0.95, EvalInterval = 1000, EvalBatches = 200 },
        _ => throw new ArgumentException($"Unknown preset '{preset}'. Known presets: {string.Join(", ", Models.GptConfig.Presets.Keys)}."),
    };

    /// <summary>Character-level presets take their vocabulary from the corpus; the GPT-2 presets use GPT-2's 50257-token BPE size.</summary>
    public static bool VocabularyFromTokenizer(string preset) => !preset.StartsWith("gpt2", StringComparison.Ordinal);

    public static string DefaultTokenizer(string preset) => VocabularyFromTokenizer(preset) ? "char" : "r50k_base";
}
