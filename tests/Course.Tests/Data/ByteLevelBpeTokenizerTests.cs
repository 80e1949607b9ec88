using System.Text.Json;
using Course.Data;

namespace Course.Tests.Data;

public class ByteLevelBpeTokenizerTests
{
    private const string English = """
        The quick brown fox jumps over the lazy dog. The dog sleeps; the fox runs.
        Initializes a new instance of the String class. Returns the number of elements in the list.
        Gets or sets the value that indicates whether the handle is valid, or null if there is none.
        """;

    private static readonly ByteLevelBpeTokenizer Small = ByteLevelBpeTokenizer.Train(English, 350);

    [Fact]
    public void Merges_follow_pair_counts_over_pre_tokens()
    {
        // Pre-tokens "abab" and " abab": (a,b) occurs 4 times, then (ab,ab) twice, then (Ġ,abab) once; nothing is left.
        var merges = BpeTrainer.Train("abab abab", vocabSize: 1000);
        Assert.Equal([("a", "b"), ("ab", "ab"), ("Ġ", "abab")], merges);
    }

    [Fact]
    public void Encoding_applies_the_learned_merges()
    {
        var tokenizer = ByteLevelBpeTokenizer.Train("abab abab", vocabSize: 1000);
        Assert.Equal(259, tokenizer.VocabSize);
        Assert.Equal([257, 258], tokenizer.Encode("abab abab"));
        Assert.Equal([256, 'a'], tokenizer.Encode("aba"));
    }

    [Fact]
    public void Training_is_deterministic_and_stops_at_the_vocabulary_size()
    {
        var again = ByteLevelBpeTokenizer.Train(English, 350);
        Assert.Equal(350, Small.VocabSize);
        Assert.Equal(Small.Tokens, again.Tokens);
        Assert.True(Small.Encode(English).Length < English.Length / 2, "350 tokens should at least halve this English text");
    }

    [Theory]
    [InlineData("")]
    [InlineData("The fox's dog didn't jump.")]
    [InlineData("  leading and trailing spaces  \n\n\ttabs\r\n")]
    [InlineData("汉字とかな、한국어")]
    [InlineData("emoji 🦊🐕‍🦺 and flags 🇳🇱")]
    [InlineData("e\u0301 combining, \u0000 nul, \u007f del, \u00a0 nbsp, \u00ad shy")]
    [InlineData("numbers 3.14159 and 1,000,000")]
    public void Decode_of_encode_is_the_text(string text) => Assert.Equal(text, Small.Decode(Small.Encode(text)));

    [Fact]
    public void Lone_surrogates_come_back_as_replacement_characters()
    {
        // Built in code: test runners do not carry lone surrogates through InlineData intact.
        var high = (char)0xD800;
        var low = (char)0xDC00;
        Assert.Equal("a\uFFFDb", Small.Decode(Small.Encode($"a{high}b")));
        Assert.Equal("\uFFFD\uFFFD", Small.Decode(Small.Encode($"{low}{high}")));
    }

    [Fact]
    public void Save_and_load_give_the_same_tokenizer()
    {
        using var dir = new TempDirectory();
        Small.Save(dir.Path);

        var loaded = Assert.IsType<ByteLevelBpeTokenizer>(TokenizerStore.Load(dir.Path));

        Assert.Equal(Small.Tokens, loaded.Tokens);
        Assert.Equal(Small.Encode(English), loaded.Encode(English));
        Assert.StartsWith("#version: 0.2\n", File.ReadAllText(Path.Combine(dir.Path, "merges.txt")));
        var vocab = JsonSerializer.Deserialize<Dictionary<string, int>>(File.ReadAllText(Path.Combine(dir.Path, "vocab.json")))!;
        // Ids 0-255 are byte values: byte 0 is written 'Ā' (U+0100), the space byte 'Ġ' (U+0120).
        Assert.Equal(0, vocab["Ā"]);
        Assert.Equal(' ', vocab["Ġ"]);
    }

    [Fact]
    public void A_vocab_file_from_another_run_is_refused()
    {
        using var dir = new TempDirectory();
        using var other = new TempDirectory();
        Small.Save(dir.Path);
        ByteLevelBpeTokenizer.Train("something else entirely", 270).Save(other.Path);
        File.Copy(Path.Combine(other.Path, "vocab.json"), Path.Combine(dir.Path, "vocab.json"), overwrite: true);

        var e = Assert.Throws<UserError>(() => TokenizerStore.Load(dir.Path));
        Assert.Contains("does not match", e.Message);
    }

    [Fact]
    public void A_vocabulary_smaller_than_the_bytes_is_refused()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => BpeTrainer.Train(English, 100));
        Assert.Contains("at least 256", e.Message);
    }
}
