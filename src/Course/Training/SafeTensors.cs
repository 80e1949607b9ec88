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

    /// <summary>Reads a whole safetensors file, checking the header against the file before creating any tensor.</summary>
    public static Contents Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        UserError Bad(string problem) => new($"{path} is not a valid safetensors file: {problem}. The file is damaged or was cut short; use another checkpoint.");
        if (bytes.Length < 8) throw Bad($"it has {bytes.Length} bytes, fewer than the 8-byte header length");
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (headerLength > (ulong)bytes.Length - 8) throw Bad($"the header claims {headerLength} bytes but the file has {bytes.Length}");
        JsonObject header;
        try { header = JsonNode.Parse(bytes.AsSpan(8, (int)headerLength))!.AsObject(); }
        catch (Exception e) when (e is JsonException or InvalidOperationException) { throw Bad($"the header is not a JSON object ({e.Message})"); }

        var dataStart = 8 + (long)headerLength;
        var dataLength = bytes.Length - dataStart;
        var metadata = new Dictionary<string, string>();
        var entries = new List<(string Name, ScalarType Dtype, long[] Shape, long Begin, long End)>();
        foreach (var (name, node) in header)
        {
            if (name == "__metadata__")
            {
                foreach (var (key, value) in node!.AsObject()) metadata[key] = value!.GetValue<string>();
                continue;
            }
            var dtypeName = node?["dtype"]?.GetValue<string>();
            var dtype = Dtypes.FirstOrDefault(d => d.Value.Name == dtypeName);
            if (dtypeName is null || dtype.Value.Name is null) throw Bad($"tensor '{name}' has unknown dtype '{dtypeName}'");
            var shape = node!["shape"]!.AsArray().Select(s => s!.GetValue<long>()).ToArray();
            var offsets = node["data_offsets"]!.AsArray().Select(o => o!.GetValue<long>()).ToArray();
            var expected = shape.Aggregate(1L, (a, b) => a * b) * dtype.Value.Size;
            if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] > dataLength || offsets[1] - offsets[0] != expected)
                throw Bad($"tensor '{name}' needs bytes [{string.Join(", ", offsets)}] of a {dataLength}-byte data section, {expected} bytes for its shape");
            entries.Add((name, dtype.Key, shape, offsets[0], offsets[1]));
        }

        var tensors = new Dictionary<string, Tensor>();
        foreach (var (name, dtype, shape, begin, end) in entries)
        {
            var tensor = empty(shape, dtype);
            bytes.AsSpan((int)(dataStart + begin), (int)(end - begin)).CopyTo(tensor.bytes);
            tensors[name] = tensor;
        }
        return new Contents(tensors, metadata);
    }
}
