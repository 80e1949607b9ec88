using System.Buffers.Binary;
using Course.Data;

namespace Course.Tests.Data;

public class TokenShardTests
{
    [Theory]
    [InlineData(65_536, 2)]
    [InlineData(100_277, 4)]
    public void Ids_round_trip_in_the_narrowest_width(int vocabSize, int width)
    {
        using var dir = new TempDirectory();
        var path = dir.File("s.bin");
        int[] ids = [0, 1, vocabSize - 1, 42, vocabSize / 2];
        TokenShard.Write(path, ids, vocabSize);

        using var shard = TokenShard.Open(path);
        var back = new int[ids.Length];
        shard.Read(0, back);

        Assert.Equal(ids, back);
        Assert.Equal(width, shard.BytesPerToken);
        Assert.Equal(vocabSize, shard.VocabSize);
        Assert.Equal(TokenShard.HeaderSize + ids.Length * width, new FileInfo(path).Length);
    }

    [Fact]
    public void Sampled_targets_are_the_inputs_shifted_by_one()
    {
        using var dir = new TempDirectory();
        var path = dir.File("s.bin");
        // Id i at position i, so every window shows where it came from.
        TokenShard.Write(path, Enumerable.Range(0, 1000).ToArray(), 1000);
        using var shard = TokenShard.Open(path);

        var (x, y) = shard.SampleBatch(new Random(1), batchSize: 4, blockSize: 8);

        Assert.Equal(32, x.Length);
        for (var b = 0; b < 4; b++)
            for (var t = 0; t < 8; t++)
            {
                Assert.Equal(x[b * 8] + t, x[b * 8 + t]);
                Assert.Equal(x[b * 8 + t] + 1, y[b * 8 + t]);
            }
    }

    [Fact]
    public void An_id_outside_the_vocabulary_is_refused_and_nothing_is_written()
    {
        using var dir = new TempDirectory();
        var path = dir.File("s.bin");
        var e = Assert.Throws<ArgumentException>(() => TokenShard.Write(path, [1, 2, 300], 256));
        Assert.Contains("Token id 300 at position 2 is outside the vocabulary of 256", e.Message);
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void A_file_that_is_not_a_shard_is_named_as_such()
    {
        using var dir = new TempDirectory();
        var path = dir.File("s.bin");
        File.WriteAllBytes(path, new byte[64]);
        var e = Assert.Throws<InvalidDataException>(() => TokenShard.Open(path));
        Assert.Contains("does not start with CSHARD", e.Message);
        Assert.Contains("Prepare the shards again", e.Message);
    }

    [Fact]
    public void A_short_header_is_truncated()
    {
        using var dir = new TempDirectory();
        var path = dir.File("s.bin");
        File.WriteAllBytes(path, "CSHARD"u8.ToArray());
        var e = Assert.Throws<InvalidDataException>(() => TokenShard.Open(path));
        Assert.Contains("less than the 32-byte header", e.Message);
    }

    [Fact]
    public void A_truncated_body_is_reported_with_the_sizes()
    {
        using var dir = new TempDirectory();
        var path = dir.File("s.bin");
        TokenShard.Write(path, [1, 2, 3, 4], 10);
        using (var f = File.OpenWrite(path)) f.SetLength(TokenShard.HeaderSize + 5);

        var e = Assert.Throws<InvalidDataException>(() => TokenShard.Open(path));
        Assert.Contains("promises 4 ids (40 bytes) but the file has 37 bytes, so it is truncated", e.Message);
    }

    [Theory]
    [InlineData(6, 2, "format version 2")]
    [InlineData(8, 4, "4 bytes per id do not fit a vocabulary of 10 (expected 2)")]
    [InlineData(8, 3, "3 bytes per id")]
    public void A_wrong_version_or_width_is_refused(int offset, ushort value, string expected)
    {
        using var dir = new TempDirectory();
        var path = dir.File("s.bin");
        TokenShard.Write(path, [1, 2, 3, 4], 10);
        var bytes = File.ReadAllBytes(path);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(offset), value);
        File.WriteAllBytes(path, bytes);

        var e = Assert.Throws<InvalidDataException>(() => TokenShard.Open(path));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void A_shard_too_short_for_the_window_says_what_to_change()
    {
        using var dir = new TempDirectory();
        var path = dir.File("s.bin");
        TokenShard.Write(path, [1, 2, 3], 10);
        using var shard = TokenShard.Open(path);
        var e = Assert.Throws<InvalidOperationException>(() => shard.SampleBatch(new Random(0), 1, 3));
        Assert.Contains("too few for a window of 3", e.Message);
    }

    [Fact]
    public void Preparing_a_corpus_writes_shards_that_decode_to_its_two_parts()
    {
        using var dir = new TempDirectory();
        var text = string.Concat(Enumerable.Range(0, 50).Select(i => $"Line {i} of the corpus.\n"));
        var corpusPath = dir.File("corpus.txt");
        File.WriteAllText(corpusPath, text);
        var messages = new List<string>();

        var shards = ShardPreparer.Prepare(corpusPath, "bpe:300", dir.File("out"), new SyncProgress(messages.Add));

        var tokenizer = TokenizerStore.Load(shards.TokenizerDirectory);
        string Decode(string path)
        {
            using var shard = TokenShard.Open(path);
            var ids = new int[shard.Count];
            shard.Read(0, ids);
            return tokenizer.Decode(ids);
        }
        var train = Decode(shards.TrainPath);
        var val = Decode(shards.ValPath);
        Assert.Equal(text, train + val);
        // 1,140 characters; the 90% mark (1,026) falls inside line 45, so validation starts at the next line.
        Assert.StartsWith("Line 46 ", val);
        Assert.Equal(300, shards.VocabSize);
        Assert.True(File.Exists(dir.File("out/meta.json")));
        Assert.Contains(messages, m => m.Contains("characters per token"));
    }

    private sealed class SyncProgress(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }
}
