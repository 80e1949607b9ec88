using Course.Models;
using Course.Training;

namespace Course;

/// <summary>
/// A named starting point for a run: the GPT's shape, the training recipe that suits it, and the tokenizer it
/// expects. `course pretrain --preset NAME`, sweeps, benchmarks and the chapters all start from one.
/// </summary>
public sealed record Preset(string Name, GptConfig Model, TrainingOptions Training, string Tokenizer)
{
    public const string Default = "cpu-small";

    /// <summary>The tokenizer of GPT-2's own presets, whose 50,257 ids fix the size of the embedding.</summary>
    public const string Gpt2Tokenizer = "r50k_base";

    public static IReadOnlyDictionary<string, Preset> All { get; } = new[]
    {
        // For tests and chapters on a CPU: a few thousand parameters, milliseconds per step.
        new Preset("tiny", new(VocabSize: 65, BlockSize: 16, NLayer: 2, NHead: 2, NEmbd: 32),
            new TrainingOptions { MaxSteps = 200, BatchSize = 16, WarmupSteps = 20, EvalInterval = 50, EvalBatches = 10 }.WithLearningRate(3e-3), "char"),
        // The main job on a 2-core CPU: about 5 minutes (see the README for the measured run).
        new Preset("cpu-small", new(VocabSize: 65, BlockSize: 128, NLayer: 4, NHead: 4, NEmbd: 128),
            new TrainingOptions { MaxSteps = 600, BatchSize = 32, WarmupSteps = 50, EvalInterval = 100, EvalBatches = 20, WeightDecay = 0.1 }.WithLearningRate(2e-3), "char"),
        // nanoGPT's shakespeare_char recipe.
        new Preset("shakespeare-char", new(VocabSize: 65, BlockSize: 256, NLayer: 6, NHead: 6, NEmbd: 384, Dropout: 0.2),
            new TrainingOptions { MaxSteps = 5000, BatchSize = 64, WarmupSteps = 100, EvalInterval = 250, EvalBatches = 200 }.WithLearningRate(1e-3), "char"),
        // GPT-2 small (124M) with nanoGPT's recipe per GPU (0.5M-token batches through accumulation on one GPU); the
        // padded variant rounds the vocabulary up to a multiple of 64, which makes the output matmul faster.
        Gpt2("gpt2", vocabSize: 50257),
        Gpt2("gpt2-padded", vocabSize: 50304),
    }.ToDictionary(p => p.Name);

    /// <summary>The preset called <paramref name="name"/>; an unknown name is refused with the known ones.</summary>
    public static Preset Named(string name) =>
        All.TryGetValue(name, out var preset)
            ? preset
            : throw new UserError($"Unknown preset '{name}'. Known presets: {string.Join(", ", All.Keys)}.");

    /// <summary>Character and BPE presets size their embedding to the tokenizer; GPT-2's keep GPT-2's ids.</summary>
    public bool SizesVocabularyToTokenizer => Tokenizer != Gpt2Tokenizer;

    /// <summary>The model for a tokenizer of <paramref name="vocabularySize"/> tokens; refuses one GPT-2's fixed
    /// embedding has no room for.</summary>
    public GptConfig ModelFor(int vocabularySize) =>
        SizesVocabularyToTokenizer ? Model with { VocabSize = vocabularySize }
        : vocabularySize <= Model.VocabSize ? Model
        : throw new UserError($"The tokenizer has {vocabularySize:N0} tokens, more than preset '{Name}' has room for ({Model.VocabSize:N0}); it needs --tokenizer {Gpt2Tokenizer}.");

    private static Preset Gpt2(string name, int vocabSize) =>
        new(name, new(VocabSize: vocabSize, BlockSize: 1024, NLayer: 12, NHead: 12, NEmbd: 768),
            new TrainingOptions { MaxSteps = 600_000, BatchSize = 16, GradientAccumulationSteps = 32, WarmupSteps = 2000, Beta2 = 0.95, EvalInterval = 1000, EvalBatches = 200 }.WithLearningRate(6e-4),
            Gpt2Tokenizer);
}
