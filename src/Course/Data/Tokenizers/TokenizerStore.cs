using System.Text.Json;

namespace Course.Data;

/// <summary>Reads back a tokenizer written by <see cref="ITokenizer.Save"/>.</summary>
public static class TokenizerStore
{
    public const string FileName = "tokenizer.json";

    /// <exception cref="UserError">No tokenizer.json, or a damaged one (not JSON, a wrong field, an unknown kind).</exception>
    public static ITokenizer Load(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path)) throw new UserError($"No {FileName} in {directory}: this folder holds no saved tokenizer.");
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            var kind = doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("kind", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString() : null;
            return kind switch
            {
                "char" => CharTokenizer.FromJson(doc.RootElement),
                "bpe" => ByteLevelBpeTokenizer.Load(directory),
                _ when TiktokenEncoding.IsKind(kind) => TiktokenEncoding.FromKind(kind!),
                _ => throw new UserError($"{path}: unknown tokenizer kind '{kind}'. The file is damaged; save the tokenizer again."),
            };
        }
        // Wrong JSON or a field of the wrong type: the file was damaged or written by something else.
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or FormatException or ArgumentException)
        {
            throw new UserError($"{path} is damaged ({e.Message}); save the tokenizer again (or prepare the shards again).");
        }
    }
}
