using System.Text;
using System.Text.Json;
using Microsoft.ML.Tokenizers;

namespace Course.Data;

/// <summary>
/// A byte-level BPE tokenizer trained here (<see cref="BpeTrainer"/>), encoding through Microsoft.ML.Tokenizers'
/// BpeTokenizer. Ids 0-255 are the byte values in order, and merge i makes id 256 + i.
/// </summary>
/// <remarks>
/// Every UTF-8 byte has a token, so any text encodes without unknown tokens. Decode(Encode(s)) == s for every
/// well-formed string; a lone surrogate (a .NET string can hold one, UTF-8 cannot) becomes U+FFFD, as it does in
/// any UTF-8 encoding.
/// </remarks>
public sealed class ByteLevelBpeTokenizer : ITokenizer
{
    public const string VocabFileName = "vocab.json";
    public const string MergesFileName = "merges.txt";
    private const string MergesHeader = "#version: 0.2";

    private readonly IReadOnlyList<(string Left, string Right)> _merges;
    private readonly BpeTokenizer _bpe;

    public ByteLevelBpeTokenizer(IReadOnlyList<(string Left, string Right)> merges)
    {
        _merges = merges;
        Tokens = Enumerable.Range(0, 256).Select(b => ByteLevelAlphabet.ToChar((byte)b).ToString())
            .Concat(merges.Select(m => m.Left + m.Right)).ToArray();
        var vocabulary = Tokens.Select((token, id) => new KeyValuePair<string, int>(token, id)).ToArray();
        if (vocabulary.DistinctBy(p => p.Key).Count() != vocabulary.Length)
            throw new UserError("The merges make the same token twice; merges.txt is not from one BPE training run.");
        _bpe = BpeTokenizer.Create(new BpeOptions(vocabulary)
        {
            Merges = merges.Select(m => $"{m.Left} {m.Right}"),
            ByteLevel = true,
            PreTokenizer = new RegexPreTokenizer(Gpt2PreTokenizer.Regex(), specialTokens: null),
        });
    }

    /// <summary>Learns a vocabulary of <paramref name="vocabSize"/> tokens from <paramref name="text"/>.</summary>
    public static ByteLevelBpeTokenizer Train(string text, int vocabSize) => new(BpeTrainer.Train(text, vocabSize));

    public string Kind => "bpe";
    public int VocabSize => Tokens.Count;

    /// <summary>The byte-level string of each id, as in vocab.json.</summary>
    public IReadOnlyList<string> Tokens { get; }

    public int[] Encode(string text) => _bpe.EncodeToIds(ReplaceLoneSurrogates(text)).ToArray();

    public string Decode(IEnumerable<int> ids) => _bpe.Decode(ids);

    /// <summary>
    /// The text with each lone surrogate replaced by U+FFFD, as Encoding.UTF8 does. BpeTokenizer would otherwise turn one
    /// into three bytes that decode to three U+FFFD characters, so the text would not even keep its length.
    /// </summary>
    private static string ReplaceLoneSurrogates(string text) =>
        text.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') < 0 ? text : Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(text));

    /// <summary>Writes vocab.json and merges.txt in the layout GPT-2 and Hugging Face use, and tokenizer.json naming them.</summary>
    public void Save(string directory)
    {
        var vocab = JsonSerializer.SerializeToUtf8Bytes(Tokens.Select((t, id) => (t, id)).ToDictionary(p => p.t, p => p.id));
        AtomicFile.WriteBytes(Path.Combine(directory, VocabFileName), vocab);
        var merges = new StringBuilder(MergesHeader).Append('\n');
        foreach (var (left, right) in _merges) merges.Append(left).Append(' ').Append(right).Append('\n');
        AtomicFile.WriteBytes(Path.Combine(directory, MergesFileName), Encoding.UTF8.GetBytes(merges.ToString()));
        // Written last: a folder with tokenizer.json has everything it names.
        AtomicFile.WriteBytes(Path.Combine(directory, TokenizerStore.FileName),
            JsonSerializer.SerializeToUtf8Bytes(new { kind = Kind, vocab = VocabFileName, merges = MergesFileName }));
    }

    /// <summary>Rebuilds the tokenizer from merges.txt; vocab.json is checked against it so a mismatched pair of files is caught.</summary>
    internal static ByteLevelBpeTokenizer Load(string directory)
    {
        var mergesPath = Path.Combine(directory, MergesFileName);
        var vocabPath = Path.Combine(directory, VocabFileName);
        foreach (var path in new[] { mergesPath, vocabPath })
            if (!File.Exists(path)) throw new UserError($"{path} is missing; a saved BPE tokenizer needs both {VocabFileName} and {MergesFileName}. Save it again.");
        var merges = new List<(string, string)>();
        foreach (var (line, number) in File.ReadLines(mergesPath).Select((l, i) => (l, i + 1)))
        {
            if (line.Length == 0 || line.StartsWith("#version")) continue;
            var parts = line.Split(' ');
            if (parts.Length != 2) throw new UserError($"{mergesPath} line {number}: expected two tokens separated by one space, got '{line}'.");
            merges.Add((parts[0], parts[1]));
        }
        var tokenizer = new ByteLevelBpeTokenizer(merges);
        var vocab = JsonSerializer.Deserialize<Dictionary<string, int>>(File.ReadAllBytes(vocabPath))
            ?? throw new UserError($"{vocabPath} is empty.");
        if (vocab.Count != tokenizer.VocabSize || tokenizer.Tokens.Select((t, id) => vocab.GetValueOrDefault(t, -1) == id).Contains(false))
            throw new UserError($"{vocabPath} does not match {mergesPath}: they come from different training runs. Save the tokenizer again.");
        return tokenizer;
    }
}
