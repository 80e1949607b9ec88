namespace Course.Models;

/// <summary>
/// The hyperparameters of a GPT, named as in GPT-2 and nanoGPT: vocabulary size, block size (context length),
/// n_layer blocks, n_head heads, n_embd model width, dropout, and whether Linear/LayerNorm layers have biases.
/// </summary>
public sealed record GptConfig(int VocabSize, int BlockSize, int NLayer, int NHead, int NEmbd, double Dropout = 0.0, bool Bias = true)
{
    /// <summary>Named presets. Char-level presets take their vocabulary size from the tokenizer
    /// (<c>preset with { VocabSize = tokenizer.VocabSize }</c>).</summary>
    public static IReadOnlyDictionary<string, GptConfig> Presets { get; } = new Dictionary<string, GptConfig>
    {
        // For tests and notebooks in CI: a few thousand parameters, milliseconds per step.
        ["tiny"] = new(VocabSize: 65, BlockSize: 16, NLayer: 2, NHead: 2, NEmbd: 32),
        // The main job on a 2-core CPU: minutes, not hours.
        ["cpu-small"] = new(VocabSize: 65, BlockSize: 128, NLayer: 4, NHead: 4, NEmbd: 128, Dropout: 0.0),
        // nanoGPT's shakespeare_char recipe.
        ["shakespeare-char"] = new(VocabSize: 65, BlockSize: 256, NLayer: 6, NHead: 6, NEmbd: 384, Dropout: 0.2),
        // GPT-2 small (124M) with the GPT-2 BPE vocabulary, and padded to a multiple of 64 for faster matmuls.
        ["gpt2"] = new(VocabSize: 50257, BlockSize: 1024, NLayer: 12, NHead: 12, NEmbd: 768),
        ["gpt2-padded"] = new(VocabSize: 50304, BlockSize: 1024, NLayer: 12, NHead: 12, NEmbd: 768),
    };

    public const string DefaultPreset = "cpu-small";

    public static GptConfig Preset(string name) =>
        Presets.TryGetValue(name, out var config)
            ? config
            : throw new ArgumentException($"Unknown preset '{name}'. Known presets: {string.Join(", ", Presets.Keys)}.");

    /// <summary>Checks every rule and names the field that breaks one.</summary>
    public GptConfig Validate()
    {
        void Positive(int value, string field)
        {
            if (value <= 0) throw new ArgumentException($"{field} must be positive (got {value}).");
        }
        Positive(VocabSize, nameof(VocabSize));
        Positive(BlockSize, nameof(BlockSize));
        Positive(NLayer, nameof(NLayer));
        Positive(NHead, nameof(NHead));
        Positive(NEmbd, nameof(NEmbd));
        if (NEmbd % NHead != 0)
            throw new ArgumentException($"{nameof(NEmbd)} ({NEmbd}) must be divisible by {nameof(NHead)} ({NHead}): each head gets NEmbd / NHead dimensions.");
        if (Dropout is < 0 or >= 1 || double.IsNaN(Dropout))
            throw new ArgumentException($"{nameof(Dropout)} must be in [0, 1) (got {Dropout}).");
        return this;
    }

    /// <summary>Parameters, counting the tied input/output embedding once:
    /// wte V·d + wpe T·d + per block (2 LayerNorms, QKV, output projection, MLP) + final LayerNorm.</summary>
    public long ParameterCount(bool includePositions = true)
    {
        long d = NEmbd, b = Bias ? 1 : 0;
        long layerNorm = d + b * d;
        long attention = d * 3 * d + b * 3 * d + d * d + b * d;
        long mlp = d * 4 * d + b * 4 * d + 4 * d * d + b * d;
        long block = 2 * layerNorm + attention + mlp;
        return (long)VocabSize * d + (includePositions ? (long)BlockSize * d : 0) + NLayer * block + layerNorm;
    }
}
