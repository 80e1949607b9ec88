using System.Text.Json;

namespace Course.Data;

/// <summary>Reads back a tokenizer written by <see cref="ITokenizer.Save"/>.</summary>
public static class TokenizerStore
{
    public const string FileName = "tokenizer.json";

    public static ITokenizer Load(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path)) throw new FileNotFoundException($"No {FileName} in {directory}: this folder holds no saved tokenizer.", path);
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var kind = doc.RootElement.TryGetProperty("kind", out var k) ? k.GetString() : null;
        return kind switch
        {
            "char" => CharTokenizer.FromJson(doc.RootElement),
            "bpe" => ByteLevelBpeTokenizer.Load(directory),
            _ when TiktokenEncoding.IsKind(kind) => TiktokenEncoding.FromKind(kind!),
            _ => throw new InvalidDataException($"{path}: unknown tokenizer kind '{kind}'."),
        };
    }
}
