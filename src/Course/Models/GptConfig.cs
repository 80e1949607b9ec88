namespace Course.Models;

/// <summary>
/// The hyperparameters of a GPT, named as in GPT-2 and nanoGPT: vocabulary size, block size (context length),
/// n_layer blocks, n_head heads, n_embd model width, dropout, and whether Linear/LayerNorm layers have biases.
/// </summary>
public sealed record GptConfig(int VocabSize, int BlockSize, int NLayer, int NHead, int NEmbd, double Dropout = 0.0, bool Bias = true)
{
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
