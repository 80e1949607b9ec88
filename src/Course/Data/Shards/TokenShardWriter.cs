using System.Buffers.Binary;

namespace Course.Data;

/// <summary>
/// Writes a <see cref="TokenShard"/> piece by piece, so a corpus is never held as one array of ids. The ids go to a
/// temporary file beside the target; <see cref="Complete"/> writes the final count into the header and renames the
/// file into place. Disposing without completing deletes the temporary file, so a failed or interrupted preparation
/// never leaves a shard that looks good.
/// </summary>
public sealed class TokenShardWriter : IDisposable
{
    private readonly string _path, _temporary;
    private readonly FileStream _stream;
    private readonly int _vocabSize, _width;
    private byte[] _buffer = [];
    private bool _completed;

    public TokenShardWriter(string path, int vocabSize)
    {
        if (vocabSize < 1) throw new ArgumentOutOfRangeException(nameof(vocabSize), vocabSize, "A vocabulary has at least one id.");
        (_path, _vocabSize, _width) = (Path.GetFullPath(path), vocabSize, TokenShard.WidthFor(vocabSize));
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        _temporary = Path.Combine(Path.GetDirectoryName(_path)!, $".{Path.GetFileName(_path)}.{Guid.NewGuid():N}.tmp");
        _stream = new FileStream(_temporary, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
        _stream.Write(TokenShard.Header(_width, vocabSize, count: 0));
    }

    /// <summary>Ids written so far.</summary>
    public long Count { get; private set; }

    /// <exception cref="ArgumentException">An id is not below the vocabulary size.</exception>
    public void Append(ReadOnlySpan<int> ids)
    {
        if (_buffer.Length < ids.Length * _width) _buffer = new byte[ids.Length * _width];
        for (var i = 0; i < ids.Length; i++)
        {
            var id = ids[i];
            if ((uint)id >= (uint)_vocabSize)
                throw new ArgumentException($"Token id {id} at position {Count + i} is outside the vocabulary of {_vocabSize}; the ids and the vocabulary size come from different tokenizers.", nameof(ids));
            var at = _buffer.AsSpan(i * _width);
            if (_width == 2) BinaryPrimitives.WriteUInt16LittleEndian(at, (ushort)id);
            else BinaryPrimitives.WriteInt32LittleEndian(at, id);
        }
        _stream.Write(_buffer, 0, ids.Length * _width);
        Count += ids.Length;
    }

    /// <summary>Finishes the header, flushes to disk and puts the shard under its name (replacing an older one).</summary>
    public void Complete()
    {
        _stream.Position = 0;
        _stream.Write(TokenShard.Header(_width, _vocabSize, Count));
        _stream.Flush(flushToDisk: true);
        _stream.Dispose();
        File.Move(_temporary, _path, overwrite: true);
        _completed = true;
    }

    public void Dispose()
    {
        _stream.Dispose();
        if (!_completed && File.Exists(_temporary)) File.Delete(_temporary);
    }
}
