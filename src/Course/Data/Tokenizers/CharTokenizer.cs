using System.Text.Json;

namespace Course.Data;

/// <summary>
/// Character-level tokenizer: one id per distinct UTF-16 character of the training text, in ordinal order
/// (as nanoGPT's shakespeare_char does with sorted(set(text))).
/// </summary>
public sealed class CharTokenizer : ITokenizer
{
    private readonly char[] _chars;
    private readonly Dictionary<char, int> _ids;

    public CharTokenizer(IEnumerable<char> vocabulary)
    {
        _chars = vocabulary.Distinct().Order().ToArray();
        if (_chars.Length == 0) throw new UserError("A character vocabulary needs at least one character.");
        _ids = _chars.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i);
    }

    /// <summary>The vocabulary of <paramref name="text"/>: every character it contains.</summary>
    public static CharTokenizer FromText(string text) => new(text);

    public string Kind => "char";
    public int VocabSize => _chars.Length;
    public IReadOnlyList<char> Vocabulary => _chars;

    public int[] Encode(string text)
    {
        var ids = new int[text.Length];
        for (int i = 0; i < text.Length; i++)
        {
            if (!_ids.TryGetValue(text[i], out ids[i]))
                throw new ArgumentException(
                    $"Character {Describe(text[i])} at position {i} is not in this tokenizer's vocabulary of {VocabSize} characters " +
                    "(it was built from the training text). Use only characters that occur in the corpus.");
        }
        return ids;
    }

    public string Decode(IEnumerable<int> ids) => new(ids.Select(id => _chars[id]).ToArray());

    public void Save(string directory)
    {
        Directory.CreateDirectory(directory);
        var json = JsonSerializer.Serialize(new { kind = Kind, chars = new string(_chars) });
        File.WriteAllText(Path.Combine(directory, TokenizerStore.FileName), json);
    }

    internal static CharTokenizer FromJson(JsonElement root) =>
        new(root.GetProperty("chars").GetString() ?? throw new UserError("tokenizer.json: 'chars' is missing."));

    private static string Describe(char c) => char.IsControl(c) ? $"U+{(int)c:X4}" : $"'{c}' (U+{(int)c:X4})";
}
