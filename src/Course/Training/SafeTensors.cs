using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using static TorchSharp.torch;

namespace Course.Training;

/// <summary>
/// The safetensors format (Hugging Face): an 8-byte little-endian header length N, N bytes of JSON mapping each
/// tensor name to {dtype, shape, data_offsets: [begin, end]} (offsets relative to the data that follows, plus an
/// optional "__metadata__" object of strings), then the raw little-endian tensor bytes. Python's
/// <c>safetensors.torch.load_file</c> reads what <see cref="Write"/> writes.
/// </summary>
/// <remarks>
/// Written by the project rather than taken from a package because the checkpoint needs the strict checks of
/// <see cref="Read"/> (a damaged file is refused with a message before anything is used) and the format is small.
/// </remarks>
public static class SafeTensors
{
    private static readonly Dictionary<ScalarType, (string Name, int Size)> Dtypes = new()
    {
        [ScalarType.Float32] = ("F32", 4), [ScalarType.Float64] = ("F64", 8), [ScalarType.Float16] = ("F16", 2),
        [ScalarType.BFloat16] = ("BF16", 2), [ScalarType.Int64] = ("I64", 8), [ScalarType.Int32] = ("I32", 4),
        [ScalarType.Int16] = ("I16", 2), [ScalarType.Int8] = ("I8", 1), [ScalarType.Byte] = ("U8", 1), [ScalarType.Bool] = ("BOOL", 1),
    };

    /// <summary>Writes <paramref name="tensors"/> (copied to CPU) in name order to <paramref name="stream"/>.</summary>
    public static void Write(Stream stream, IEnumerable<(string Name, Tensor Tensor)> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var cpu = tensors.OrderBy(t => t.Name, StringComparer.Ordinal)
            .Select(t => (t.Name, Tensor: t.Tensor.detach().cpu().contiguous())).ToList();
        try
        {
            var header = new JsonObject();
            if (metadata is { Count: > 0 }) header["__metadata__"] = new JsonObject(metadata.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value)));
            long offset = 0;
            foreach (var (name, tensor) in cpu)
            {
                if (!Dtypes.TryGetValue(tensor.dtype, out var dtype)) throw new NotSupportedException($"Tensor '{name}' has dtype {tensor.dtype}, which safetensors cannot store here.");
                var length = tensor.numel() * dtype.Size;
                header[name] = new JsonObject
                {
                    ["dtype"] = dtype.Name,
                    ["shape"] = new JsonArray(tensor.shape.Select(s => (JsonNode?)s).ToArray()),
                    ["data_offsets"] = new JsonArray(offset, offset + length),
                };
                offset += length;
            }
            var json = Encoding.UTF8.GetBytes(header.ToJsonString());
            // Pad the header with spaces so the data starts 8-byte aligned, as the reference implementation does.
            var padded = (json.Length + 7) / 8 * 8;
            Span<byte> prefix = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)padded);
            stream.Write(prefix);
            stream.Write(json);
            for (int i = json.Length; i < padded; i++) stream.WriteByte((byte)' ');
            foreach (var (_, tensor) in cpu) stream.Write(tensor.bytes);
        }
        finally
        {
            foreach (var (_, tensor) in cpu) tensor.Dispose();
        }
    }

    /// <summary>A file read by <see cref="Read"/>: its tensors (on CPU, owned by the caller) and metadata.</summary>
    public sealed record Contents(Dictionary<string, Tensor> Tensors, Dictionary<string, string> Metadata) : IDisposable
    {
        public void Dispose()
        {
            foreach (var t in Tensors.Values) t.Dispose();
        }
    }

    /// <summary>One tensor of a header: its bytes are [Begin, End) of the data section.</summary>
    public sealed record Entry(string Name, ScalarType Dtype, long[] Shape, long Begin, long End);

    /// <summary>A file's header, checked against the file's length: every tensor's bytes lie inside it.</summary>
    public sealed record Header(IReadOnlyList<Entry> Entries, Dictionary<string, string> Metadata, long DataStart);

    /// <summary>Reads a whole safetensors file, checking the header against the file before creating any tensor.</summary>
    public static Contents Read(string path)
    {
        using var stream = File.OpenRead(path);
        var header = ReadHeader(stream, path);
        var tensors = new Dictionary<string, Tensor>();
        try
        {
            foreach (var entry in header.Entries) tensors[entry.Name] = ReadTensor(stream, header, entry);
        }
        catch
        {
            foreach (var t in tensors.Values) t.Dispose();
            throw;
        }
        return new Contents(tensors, header.Metadata);
    }

    /// <summary>The header of the safetensors file open in <paramref name="stream"/> (named <paramref name="path"/> in
    /// messages); throws <see cref="UserError"/> when it does not describe the file.</summary>
    public static Header ReadHeader(Stream stream, string path)
    {
        UserError Bad(string problem) => new($"{path} is not a valid safetensors file: {problem}. The file is damaged or was cut short: save or download it again, or use another one.");
        var fileLength = stream.Length;
        if (fileLength < 8) throw Bad($"it has {fileLength} bytes, fewer than the 8-byte header length");
        Span<byte> prefix = stackalloc byte[8];
        stream.Position = 0;
        stream.ReadExactly(prefix);
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength > (ulong)fileLength - 8 || headerLength > int.MaxValue) throw Bad($"the header claims {headerLength} bytes but the file has {fileLength}");
        var json = new byte[headerLength];
        stream.ReadExactly(json);
        JsonObject header;
        try { header = JsonNode.Parse(json) as JsonObject ?? throw Bad("the header is not a JSON object"); }
        catch (JsonException e) { throw Bad($"the header is not a JSON object ({e.Message})"); }

        var dataStart = 8 + (long)headerLength;
        var dataLength = fileLength - dataStart;
        var metadata = new Dictionary<string, string>();
        var entries = new List<Entry>();
        foreach (var (name, node) in header)
        {
            if (name == "__metadata__")
            {
                foreach (var (key, value) in node as JsonObject ?? throw Bad("__metadata__ is not an object"))
                    metadata[key] = value is JsonValue text && text.TryGetValue<string>(out var s) ? s : throw Bad($"metadata '{key}' is not a string");
                continue;
            }
            var dtypeName = node?["dtype"] is JsonValue d && d.TryGetValue<string>(out var n) ? n : null;
            var dtype = Dtypes.FirstOrDefault(x => x.Value.Name == dtypeName);
            if (dtypeName is null || dtype.Value.Name is null) throw Bad($"tensor '{name}' has unknown dtype '{dtypeName}'");
            var shape = Longs(node?["shape"]) ?? throw Bad($"tensor '{name}' has no list of whole numbers as its shape");
            var offsets = Longs(node?["data_offsets"]) ?? throw Bad($"tensor '{name}' has no list of whole numbers as its data_offsets");
            var expected = shape.Aggregate(1L, (a, b) => a * b) * dtype.Value.Size;
            if (shape.Any(x => x < 0) || offsets.Length != 2 || offsets[0] < 0 || offsets[1] > dataLength || offsets[1] - offsets[0] != expected)
                throw Bad($"tensor '{name}' needs bytes [{string.Join(", ", offsets)}] of a {dataLength}-byte data section, {expected} bytes for its shape");
            entries.Add(new Entry(name, dtype.Key, shape, offsets[0], offsets[1]));
        }
        return new Header(entries, metadata, dataStart);
    }

    private static long[]? Longs(JsonNode? node) =>
        node is JsonArray items && items.All(i => i is JsonValue v && v.TryGetValue<long>(out _)) ? items.Select(i => i!.GetValue<long>()).ToArray() : null;

    /// <summary>Reads one tensor of <paramref name="header"/> from <paramref name="stream"/> into a new CPU tensor.</summary>
    public static Tensor ReadTensor(Stream stream, Header header, Entry entry)
    {
        var tensor = empty(entry.Shape, entry.Dtype);
        try
        {
            stream.Position = header.DataStart + entry.Begin;
            tensor.ReadBytesFromStream(stream, bufferSize: 1 << 20);
            return tensor;
        }
        catch
        {
            tensor.Dispose();
            throw;
        }
    }
}
