using Course.Data;
using static TorchSharp.torch;

namespace Course.FineTuning;

/// <summary>
/// Turns texts into the right-padded (B, T) id tensors and lengths a <see cref="GptClassifier"/> reads.
/// </summary>
/// <remarks>
/// <para>Truncation keeps the first BlockSize tokens: a documentation summary states what the member is in its first
/// words ("Gets or sets ...", "Initializes a new instance ...", "Represents ..."), and a causal model's last real
/// token then still sees all of them.</para>
/// <para>Characters a char-level tokenizer does not know (it was built from the pretraining text) are dropped, so
/// a task text never fails to encode; a text left with no tokens becomes the single token 0, so that every example
/// has a last token to pool. Other tokenizers (BPE) encode any text.</para>
/// </remarks>
public sealed class SequenceEncoder(ITokenizer tokenizer, int blockSize)
{
    public const long PadId = 0;

    private readonly HashSet<char>? _known = tokenizer is CharTokenizer chars ? chars.Vocabulary.ToHashSet() : null;

    public ITokenizer Tokenizer { get; } = tokenizer;
    public int BlockSize { get; } = blockSize > 0 ? blockSize : throw new ArgumentException($"The block size must be positive (got {blockSize}).");

    /// <summary>The ids of <paramref name="text"/>, unknown characters dropped, cut to BlockSize, never empty.</summary>
    public int[] Encode(string text)
    {
        if (_known is not null) text = new string(text.Where(_known.Contains).ToArray());
        var ids = Tokenizer.Encode(text);
        if (ids.Length == 0) return [(int)PadId];
        return ids.Length > BlockSize ? ids[..BlockSize] : ids;
    }

    /// <summary>Pads encoded sequences to the longest of them (at most BlockSize, as each is): ids (B, T) and lengths (B),
    /// both int64. Padding to the batch's longest rather than to BlockSize gives the same logits for less work.</summary>
    public static (Tensor Ids, Tensor Lengths) Batch(IReadOnlyList<int[]> sequences, Device device)
    {
        var time = sequences.Max(s => s.Length);
        var ids = new long[sequences.Count * time];
        Array.Fill(ids, PadId);
        for (int i = 0; i < sequences.Count; i++)
            for (int t = 0; t < sequences[i].Length; t++) ids[i * time + t] = sequences[i][t];
        return (tensor(ids, [sequences.Count, time], device: device), tensor(sequences.Select(s => (long)s.Length).ToArray(), device: device));
    }
}
