using System.Text.Json;
using Microsoft.ML.Tokenizers;

namespace Course.Data;

/// <summary>
/// A production encoding of OpenAI's tiktoken, r50k_base (GPT-2's 50257 tokens), cl100k_base (GPT-3.5/GPT-4) or
/// o200k_base (GPT-4o), through
/// Microsoft.ML.Tokenizers. The ranks come from the Microsoft.ML.Tokenizers.Data.* packages, so nothing is downloaded,
/// and a saved tokenizer stores only the encoding's name.
/// </summary>
public sealed class TiktokenEncoding : ITokenizer
{
    /// <summary>The encodings whose data packages this project references.</summary>
    public static readonly IReadOnlyList<string> Names = ["r50k_base", "cl100k_base", "o200k_base"];

    private const string KindPrefix = "tiktoken:";

    private readonly TiktokenTokenizer _tiktoken;

    public TiktokenEncoding(string encodingName)
    {
        if (!Names.Contains(encodingName))
            throw new ArgumentException($"'{encodingName}' is not an encoding this project ships; use one of {string.Join(", ", Names)}.", nameof(encodingName));
        EncodingName = encodingName;
        _tiktoken = TiktokenTokenizer.CreateForEncoding(encodingName);
        // In these encodings the special tokens (<|endoftext|>, ...) have the highest ids, above every ordinary rank,
        // and the ranks themselves are not public; the vocabulary ends after the last special token.
        var special = _tiktoken.SpecialTokens ?? throw new InvalidOperationException($"Microsoft.ML.Tokenizers gave {encodingName} no special tokens; its data package is not the expected one.");
        VocabSize = 1 + special.Values.Max();
    }

    public string EncodingName { get; }
    public string Kind => KindPrefix + EncodingName;
    public int VocabSize { get; }

    public int[] Encode(string text) => _tiktoken.EncodeToIds(text).ToArray();

    public string Decode(IEnumerable<int> ids) => _tiktoken.Decode(ids);

    public void Save(string directory) =>
        AtomicFile.WriteBytes(Path.Combine(directory, TokenizerStore.FileName),
            JsonSerializer.SerializeToUtf8Bytes(new { kind = Kind, encoding = EncodingName }));

    internal static bool IsKind(string? kind) => kind is not null && kind.StartsWith(KindPrefix, StringComparison.Ordinal);

    internal static TiktokenEncoding FromKind(string kind) => new(kind[KindPrefix.Length..]);
}
