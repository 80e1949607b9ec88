using System.Text.Json.Serialization;

namespace Course.Models;

/// <summary>
/// The hyperparameters of a decoder-only transformer, named as in GPT-2 and nanoGPT: vocabulary size, block size
/// (context length), n_layer blocks, n_head heads, n_embd model width, dropout, and whether Linear/LayerNorm layers
/// have biases; and which <see cref="Models.Architecture"/> builds the blocks, with Llama's extra knobs.
/// </summary>
/// <remarks>
/// Configs written before Llama existed (in checkpoints and run records) have no Architecture and read as GPT.
/// </remarks>
public sealed record GptConfig(int VocabSize, int BlockSize, int NLayer, int NHead, int NEmbd, double Dropout = 0.0, bool Bias = true)
{
    /// <summary>Which blocks: GPT-2's or Llama's.</summary>
    public Architecture Architecture { get; init; } = Architecture.Gpt;

    /// <summary>Key/value heads of grouped-query attention (Llama); null means one per query head.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? NKvHead { get; init; }

    /// <summary>Width of the MLP's hidden layer (Hugging Face's intermediate_size); null means the family's default,
    /// see <see cref="MlpWidth"/>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? IntermediateSize { get; init; }

    /// <summary>RoPE's base θ (Llama); null means 10,000, the value of the RoPE paper and Llama 1 and 2.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? RopeTheta { get; init; }

    [JsonIgnore] public int KvHeads => NKvHead ?? NHead;
    [JsonIgnore] public int HeadSize => NEmbd / NHead;
    [JsonIgnore] public double RopeBase => RopeTheta ?? 10_000;

    /// <summary>The MLP's hidden width: 4·n_embd for GPT; for Llama's SwiGLU, whose three matrices would otherwise
    /// hold 1.5 times GPT's two, 2/3 of that (8/3·n_embd, rounded up to a multiple of 8), so both cost 8·n_embd²
    /// weights (Shazeer, 2020).</summary>
    [JsonIgnore]
    public int MlpWidth => IntermediateSize ?? (Architecture == Architecture.Llama ? (8 * NEmbd / 3 + 7) / 8 * 8 : 4 * NEmbd);

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
        if (IntermediateSize is int width) Positive(width, nameof(IntermediateSize));
        if (!Enum.IsDefined(Architecture))
            throw new ArgumentException($"{nameof(Architecture)} {(int)Architecture} is not one of {string.Join(", ", Enum.GetNames<Architecture>())}.");
        // A user reaches this one from the command line (a sweep over n_kv_head on a GPT preset); the rest are API misuse.
        if (Architecture == Architecture.Gpt && (NKvHead is not null || RopeTheta is not null))
            throw new UserError($"{nameof(NKvHead)} and {nameof(RopeTheta)} belong to the Llama architecture; GPT has one key/value head per query head and learned positions.");
        if (Architecture == Architecture.Llama)
        {
            if (Bias) throw new ArgumentException("The Llama architecture has no biases: set Bias = false.");
            if (NKvHead is int kv && (kv <= 0 || kv > NHead || NHead % kv != 0))
                throw new ArgumentException($"{nameof(NKvHead)} ({kv}) must divide {nameof(NHead)} ({NHead}): each key/value head serves NHead / NKvHead query heads.");
            if (HeadSize % 2 != 0)
                throw new ArgumentException($"RoPE rotates pairs of dimensions: the head size NEmbd / NHead must be even (got {HeadSize}).");
            if (RopeBase is not > 1 || !double.IsFinite(RopeBase))
                throw new ArgumentException($"{nameof(RopeTheta)} must be a finite number above 1 (got {RopeBase}).");
        }
        return this;
    }

    /// <summary>Parameters, counting the tied input/output embedding once. GPT: wte V·d + wpe T·d + per block
    /// (2 LayerNorms, QKV, output projection, MLP) + final LayerNorm. Llama: embed_tokens V·d + per block (2 RMSNorm
    /// gains, q and o projections d·d each, k and v projections d·(n_kv_head·d_k) each, SwiGLU 3·d·m) + final RMSNorm.</summary>
    public long ParameterCount(bool includePositions = true)
    {
        long d = NEmbd, m = MlpWidth, b = Bias ? 1 : 0;
        if (Architecture == Architecture.Llama)
        {
            long kv = (long)KvHeads * HeadSize;
            long llamaBlock = 2 * d + 2 * d * d + 2 * d * kv + 3 * d * m;
            return (long)VocabSize * d + NLayer * llamaBlock + d;
        }
        long layerNorm = d + b * d;
        long attention = d * 3 * d + b * 3 * d + d * d + b * d;
        long mlp = d * m + b * m + m * d + b * d;
        long block = 2 * layerNorm + attention + mlp;
        return (long)VocabSize * d + (includePositions ? (long)BlockSize * d : 0) + NLayer * block + layerNorm;
    }
}
