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
        var e = Assert.Throws<UserError>(() => TokenShard.Open(path));
        Assert.Contains("does not start with CSHARD", e.Message);
        Assert.Contains("Prepare the shards again", e.Message);
    }

    [Fact]
    public void A_short_header_is_truncated()
    {
        using var dir = new TempDirectory();
        var path = dir.File("s.bin");
        File.WriteAllBytes(path, "CSHARD"u8.ToArray());
        var e = Assert.Throws<UserError>(() => TokenShard.Open(path));
        Assert.Contains("less than the 32-byte header", e.Message);
    }

    [Fact]
    public void A_truncated_body_is_reported_with_the_sizes()
    {
        using var dir = new TempDirectory();
        var path = dir.File("s.bin");
        TokenShard.Write(path, [1, 2, 3, 4], 10);
        using (var f = File.OpenWrite(path)) f.SetLength(TokenShard.HeaderSize + 5);

        var e = Assert.Throws<UserError>(() => TokenShard.Open(path));
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

        var e = Assert.Throws<UserError>(() => TokenShard.Open(path));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void A_shard_written_in_pieces_numbers_positions_across_them()
    {
        using var dir = new TempDirectory();
        var path = dir.File("s.bin");
        using (var writer = new TokenShardWriter(path, 100))
        {
            writer.Append([1, 2, 3]);
            writer.Append([4, 5]);
            var e = Assert.Throws<ArgumentException>(() => writer.Append([6, 100]));
            Assert.Contains("Token id 100 at position 6", e.Message);
            writer.Complete();
        }
        using var shard = TokenShard.Open(path);
        var back = new int[shard.Count];
        shard.Read(0, back);
        Assert.Equal([1, 2, 3, 4, 5], back);
    }

    [Fact]
    public void A_writer_that_never_completes_leaves_no_file()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("s.bin"), [1, 2, 3]); // an older file under the name stays as it was
        using (var writer = new TokenShardWriter(dir.File("s.bin"), 100)) writer.Append([1, 2, 3]);
        Assert.Equal([dir.File("s.bin")], Directory.GetFiles(dir.Path));
        Assert.Equal([1, 2, 3], File.ReadAllBytes(dir.File("s.bin")));
    }
}
