using Course.Data;

namespace Course.Tests.Data;

public class TokenizersTests
{
    private const string Text = "Initializes a new instance of the String class.\nGets the number of elements.\n";

    // Ids as tiktoken gives them (cl100k "hello world" is the well-known [15339, 1917]).
    [Theory]
    [InlineData("cl100k_base", "hello world", new[] { 15339, 1917 })]
    [InlineData("cl100k_base", "Hello, world!", new[] { 9906, 11, 1917, 0 })]
    [InlineData("o200k_base", "hello world", new[] { 24912, 2375 })]
    [InlineData("o200k_base", "Hello, world!", new[] { 13225, 11, 2375, 0 })]
    public void Production_encodings_give_the_known_ids(string spec, string text, int[] expected)
    {
        var tokenizer = Tokenizers.FromSpec(spec, trainingText: null);
        Assert.Equal(expected, tokenizer.Encode(text));
        Assert.Equal(text, tokenizer.Decode(expected));
    }

    [Theory]
    [InlineData("cl100k_base", 100_277)]
    [InlineData("o200k_base", 200_019)]
    public void Production_vocabularies_include_the_special_tokens(string spec, int vocabSize)
    {
        var tokenizer = Tokenizers.FromSpec(spec, null);
        Assert.Equal(vocabSize, tokenizer.VocabSize);
        Assert.Equal("tiktoken:" + spec, tokenizer.Kind);
        Assert.All(tokenizer.Encode("<|endoftext|>"), id => Assert.InRange(id, 0, vocabSize - 1));
    }

    [Theory]
    [InlineData("char", "char")]
    [InlineData("bpe:300", "bpe")]
    [InlineData("cl100k_base", "tiktoken:cl100k_base")]
    [InlineData("tiktoken:o200k_base", "tiktoken:o200k_base")]
    public void Every_kind_saves_and_loads_back(string spec, string kind)
    {
        using var dir = new TempDirectory();
        var tokenizer = Tokenizers.FromSpec(spec, Text);
        tokenizer.Save(dir.Path);

        var loaded = TokenizerStore.Load(dir.Path);

        Assert.Equal(kind, loaded.Kind);
        Assert.Equal(tokenizer.VocabSize, loaded.VocabSize);
        Assert.Equal(tokenizer.Encode(Text), loaded.Encode(Text));
        Assert.Equal(Text, loaded.Decode(loaded.Encode(Text)));
    }

    [Theory]
    [InlineData("gpt2")]
    [InlineData("bpe")]
    [InlineData("bpe:lots")]
    [InlineData("bpe:100")]
    public void A_bad_spec_lists_the_valid_ones(string spec)
    {
        var e = Assert.Throws<UserError>(() => Tokenizers.FromSpec(spec, Text));
        Assert.Contains($"'{spec}'", e.Message);
        Assert.Contains("bpe:8000", e.Message);
    }

    [Fact]
    public void A_learned_kind_without_text_says_so()
    {
        var e = Assert.Throws<UserError>(() => Tokenizers.FromSpec("bpe:1000", null));
        Assert.Contains("no training text was given", e.Message);
    }
}
