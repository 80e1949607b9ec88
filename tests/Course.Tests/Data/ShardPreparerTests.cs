using Course.Data;
using Course.Tests.Training;

namespace Course.Tests.Data;

public class ShardPreparerTests
{
    [Fact]
    public void Preparing_a_corpus_writes_shards_that_decode_to_its_two_parts()
    {
        using var dir = new TempDirectory();
        var text = string.Concat(Enumerable.Range(0, 50).Select(i => $"Line {i} of the corpus.\n"));
        var reports = new List<PreparationProgress>();

        var manifest = ShardPreparer.Prepare(TrainingFixtures.Corpus(text), "bpe:300", dir.Path, new SyncProgress<PreparationProgress>(reports.Add));

        using var shards = ShardSplit.Open(dir.Path);
        string Decode(string file)
        {
            using var shard = TokenShard.Open(dir.File(file));
            var ids = new int[shard.Count];
            shard.Read(0, ids);
            return shards.Tokenizer.Decode(ids);
        }
        var val = Decode(ShardPreparer.ValFileName);
        Assert.Equal(text, Decode(ShardPreparer.TrainFileName) + val);
        // 1,140 characters; the 90% mark (1,026) falls inside line 45, so validation starts at the next line.
        Assert.StartsWith("Line 46 ", val);
        Assert.Equal((300, text.Length, "test-corpus"), (manifest.VocabSize, manifest.Characters, manifest.Corpus));
        Assert.Equal(manifest, shards.Manifest);
        Assert.Equal(text.Length, reports[^1].Characters);
        Assert.Equal(text.Length, reports[^1].TotalCharacters);
    }

    [Theory]
    [InlineData("char")]
    [InlineData("bpe:400")]
    [InlineData("cl100k_base")]
    [InlineData("o200k_base")]
    [InlineData("r50k_base")]
    public void Encoding_in_pieces_gives_the_ids_of_the_whole_text(string spec)
    {
        // Runs of blank lines, indented lines, trailing spaces, CRLF, punctuation before a newline, CJK and emoji:
        // the places where a pre-tokenizer could join text across a piece boundary.
        var text = string.Concat(Enumerable.Range(0, 120).Select(i => (i % 6) switch
        {
            0 => $"Line {i}: the cat sat.\n",
            1 => "\n\n   indented text\n",
            2 => "trailing spaces   \n\tTabbed!\n",
            3 => "windows line\r\nnext 12345\n",
            4 => "日本語の文。😀 emoji?!\n",
            _ => "end.\n",
        }));
        var tokenizer = Tokenizers.FromSpec(spec, text);
        var pieces = ShardPreparer.Chunks(text, 0, text.Length, size: 37).ToList();

        Assert.True(pieces.Count > 20, $"only {pieces.Count} pieces");
        Assert.Equal(0, pieces[0].From);
        Assert.Equal(text.Length, pieces[^1].To);
        Assert.All(pieces.Zip(pieces.Skip(1)), pair => Assert.Equal(pair.First.To, pair.Second.From));
        Assert.Equal(tokenizer.Encode(text), pieces.SelectMany(p => tokenizer.Encode(text[p.From..p.To])));
    }
}
