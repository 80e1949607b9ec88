using System.Buffers.Binary;
using System.IO.MemoryMappedFiles;
using System.Text;

namespace Course.Data;

/// <summary>
/// A file of token ids that training reads by memory mapping, so a corpus larger than memory costs only the pages
/// a batch touches.
/// </summary>
/// <remarks>
/// Layout, little-endian, a 32-byte header then the ids:
/// bytes 0-5 "CSHARD"; 6-7 format version (1); 8-9 bytes per id (2 = uint16 when the vocabulary has at most 65,536
/// ids, else 4 = uint32); 10-11 zero; 12-15 vocabulary size; 16-23 number of ids; 24-31 zero; then the ids.
/// The header size keeps the ids aligned for either width.
/// </remarks>
public sealed class TokenShard : IDisposable
{
    public const int HeaderSize = 32;
    public const ushort FormatVersion = 1;
    private static readonly byte[] Magic = "CSHARD"u8.ToArray();

    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;

    private TokenShard(string path, MemoryMappedFile file, MemoryMappedViewAccessor view, int bytesPerToken, int vocabSize, long count)
    {
        Path = path;
        _file = file;
        _view = view;
        BytesPerToken = bytesPerToken;
        VocabSize = vocabSize;
        Count = count;
    }

    public string Path { get; }
    public int BytesPerToken { get; }
    public int VocabSize { get; }
    public long Count { get; }

    /// <summary>Writes <paramref name="ids"/> (each below <paramref name="vocabSize"/>) to <paramref name="path"/> atomically.</summary>
    public static void Write(string path, ReadOnlySpan<int> ids, int vocabSize)
    {
        using var writer = new TokenShardWriter(path, vocabSize);
        writer.Append(ids);
        writer.Complete();
    }

    /// <summary>Bytes per id: 2 (uint16) when every id fits, else 4.</summary>
    internal static int WidthFor(int vocabSize) => vocabSize <= 65_536 ? 2 : 4;

    internal static byte[] Header(int width, int vocabSize, long count)
    {
        var header = new byte[HeaderSize];
        Magic.CopyTo(header, 0);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(6), FormatVersion);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(8), (ushort)width);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(12), vocabSize);
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(16), count);
        return header;
    }

    /// <summary>Maps a shard for reading after checking its header against its size.</summary>
    /// <exception cref="InvalidDataException">Not a shard, an unknown version or id width, or a truncated file.</exception>
    public static TokenShard Open(string path)
    {
        if (!File.Exists(path)) throw new UserError($"Token shard {path} does not exist. Prepare the shards first with `course data prepare`.");
        var length = new FileInfo(path).Length;
        var header = new byte[HeaderSize];
        using (var stream = File.OpenRead(path)) stream.ReadAtLeast(header, HeaderSize, throwOnEndOfStream: false);
        string Fix(string problem) => $"{path}: {problem}. Prepare the shards again with `course data prepare`.";
        if (length < HeaderSize) throw new UserError(Fix($"the file has {length} bytes, less than the {HeaderSize}-byte header, so it is truncated"));
        if (!header.AsSpan(0, 6).SequenceEqual(Magic))
            throw new UserError(Fix($"it does not start with CSHARD (found \"{Encoding.ASCII.GetString(header, 0, 6)}\"), so it is not a token shard"));
        var version = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(6));
        if (version != FormatVersion) throw new UserError(Fix($"format version {version}, but this reader knows version {FormatVersion}"));
        var width = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(8));
        var vocabSize = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(12));
        var count = BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(16));
        var expectedWidth = WidthFor(vocabSize);
        if (vocabSize < 1 || width != expectedWidth)
            throw new UserError(Fix($"{width} bytes per id do not fit a vocabulary of {vocabSize} (expected {expectedWidth})"));
        var expectedLength = HeaderSize + count * width;
        if (count < 0 || length != expectedLength)
            throw new UserError(Fix($"the header promises {count} ids ({expectedLength} bytes) but the file has {length} bytes, so it is " +
                (length < expectedLength ? "truncated" : "longer than written")));
        var file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, mapName: null, 0, MemoryMappedFileAccess.Read);
        var view = file.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
        return new TokenShard(path, file, view, width, vocabSize, count);
    }

    /// <summary>Copies ids [<paramref name="start"/>, start + destination.Length) into <paramref name="destination"/>.</summary>
    public void Read(long start, Span<int> destination)
    {
        if (start < 0 || start + destination.Length > Count)
            throw new ArgumentOutOfRangeException(nameof(start), start, $"Ids {start}..{start + destination.Length} are outside this shard of {Count} ids.");
        var offset = HeaderSize + start * BytesPerToken;
        if (BytesPerToken == 4)
        {
            var ids = new int[destination.Length];
            _view.ReadArray(offset, ids, 0, ids.Length);
            ids.CopyTo(destination);
        }
        else
        {
            var narrow = new ushort[destination.Length];
            _view.ReadArray(offset, narrow, 0, narrow.Length);
            for (var i = 0; i < narrow.Length; i++) destination[i] = narrow[i];
        }
        // An id outside the vocabulary would index past the embedding table: a native crash instead of a message.
        for (var i = 0; i < destination.Length; i++)
            if ((uint)destination[i] >= (uint)VocabSize)
                throw new UserError($"{Path}: id {(uint)destination[i]} at position {start + i} is outside the vocabulary of {VocabSize}, so the file is damaged. " +
                    "Prepare the shards again with `course data prepare`.");
    }

    public void Dispose()
    {
        _view.Dispose();
        _file.Dispose();
    }
}
