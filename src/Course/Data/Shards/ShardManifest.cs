using System.Text.Encodings.Web;
using System.Text.Json;

namespace Course.Data;

/// <summary>
/// meta.json of a shard folder: which corpus was tokenised (with its sha256, so checkpoints can name it), by which
/// tokenizer, how many ids each shard holds, and the per-character numbers a report needs once the text is gone.
/// </summary>
/// <param name="UnigramBitsPerCharacter">The context-free baseline of the validation text under the training text's
/// character frequencies (see <see cref="Evaluation.Evaluator.UnigramBitsPerCharacter(string, string)"/>).</param>
public sealed record ShardManifest(int FormatVersion, string Corpus, string CorpusSha256, long CorpusBytes, string CorpusSource,
    string TokenizerSpec, string Tokenizer, int VocabSize, long TrainTokens, long ValTokens, long Characters, double UnigramBitsPerCharacter)
{
    public const string FileName = "meta.json";
    public const int CurrentFormat = 1;

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, PropertyNamingPolicy = JsonNamingPolicy.CamelCase, RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true, // a null where meta.json needs a value is damage, caught here rather than as a crash later
    };

    public void Write(string directory) =>
        AtomicFile.WriteBytes(Path.Combine(directory, FileName), JsonSerializer.SerializeToUtf8Bytes(this, Json));

    /// <exception cref="UserError">No meta.json, or one this version cannot read.</exception>
    public static ShardManifest Read(string directory)
    {
        var path = Path.Combine(directory, FileName);
        string Fix(string problem) => $"{problem}. Prepare the shards with `course data prepare --corpus NAME --tokenizer SPEC --out {directory}`.";
        Folders.Require(directory, "token shards", $"Prepare them with `course data prepare --corpus NAME --tokenizer SPEC --out {directory}`.");
        if (!File.Exists(path)) throw new UserError(Fix($"{directory} holds no token shards: it has no {FileName}"));
        ShardManifest? manifest;
        try { manifest = JsonSerializer.Deserialize<ShardManifest>(File.ReadAllText(path), Json); }
        catch (JsonException e) { throw new UserError(Fix($"{path} is damaged or from an older version ({e.Message})")); }
        if (manifest is null || manifest.FormatVersion != CurrentFormat)
            throw new UserError(Fix($"{path} has shard format {manifest?.FormatVersion}; this version of the course reads format {CurrentFormat}"));
        return manifest;
    }
}
