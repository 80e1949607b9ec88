using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Course.Data;
using Course.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Course.Training;

/// <summary>
/// A checkpoint is a folder: <c>model.safetensors</c> (weights under their PyTorch names, readable by Python's
/// safetensors), <c>state.safetensors</c> (AdamW's m and v, and the random-number states), the tokenizer's
/// files, and <c>trainer.json</c> (format version, step, config, options, corpus, and the size and sha256 of every
/// other file). It is written to a temporary folder and renamed into place, so a crash never leaves a half-written
/// checkpoint under the real name; on load every file is checked against trainer.json before anything is used.
/// </summary>
public static class Checkpoint
{
    public const int FormatVersion = 1;
    public const string ModelFile = "model.safetensors", StateFile = "state.safetensors", ManifestFile = "trainer.json";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public sealed record FileRecord(long Bytes, string Sha256);

    public sealed record Manifest(int FormatVersion, int Step, double? BestValidationLoss, GptConfig Config, TrainingOptions Options,
        string CorpusName, string CorpusSha256, Dictionary<string, FileRecord> Files);

    /// <summary>What a checkpoint holds once read and verified. Tensors are on the CPU and owned by the caller.</summary>
    public sealed record Loaded(Manifest Manifest, ITokenizer Tokenizer, SafeTensors.Contents Weights, SafeTensors.Contents State) : IDisposable
    {
        public void Dispose()
        {
            Weights.Dispose();
            State.Dispose();
        }
    }

    public static void Save(string directory, Manifest manifest, AdamW optimizer, IEnumerable<(string Name, Tensor Tensor)> randomStates, ITokenizer tokenizer)
    {
        using var scope = NewDisposeScope();
        var full = Path.GetFullPath(directory);
        var parent = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(parent);
        var temporary = Path.Combine(parent, $".{Path.GetFileName(full)}.tmp-{Guid.NewGuid():N}");
        Directory.CreateDirectory(temporary);
        try
        {
            WriteFile(Path.Combine(temporary, ModelFile), s => SafeTensors.Write(s, optimizer.MasterWeights(),
                new Dictionary<string, string> { ["format"] = "pt", ["config"] = JsonSerializer.Serialize(manifest.Config) }));
            WriteFile(Path.Combine(temporary, StateFile), s => SafeTensors.Write(s, optimizer.StateTensors().Concat(randomStates)));
            tokenizer.Save(temporary);
            var files = Directory.GetFiles(temporary).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)
                .ToDictionary(name => name, name => Describe(Path.Combine(temporary, name)));
            WriteFile(Path.Combine(temporary, ManifestFile), s => JsonSerializer.Serialize(s, manifest with { FormatVersion = FormatVersion, Files = files }, Json));
            Replace(temporary, full);
        }
        finally
        {
            if (Directory.Exists(temporary)) Directory.Delete(temporary, recursive: true);
        }
    }

    /// <summary>Reads and verifies a checkpoint folder; throws <see cref="InvalidDataException"/> naming the problem.</summary>
    public static Loaded Load(string directory)
    {
        directory = RecoverInterruptedReplace(directory);
        var manifestPath = Path.Combine(directory, ManifestFile);
        if (!Directory.Exists(directory)) throw new InvalidDataException($"No checkpoint at {directory}: the folder does not exist.");
        if (!File.Exists(manifestPath)) throw new InvalidDataException($"{directory} is not a checkpoint: it has no {ManifestFile}.");
        Manifest manifest;
        try { manifest = JsonSerializer.Deserialize<Manifest>(File.ReadAllText(manifestPath), Json) ?? throw new JsonException("empty"); }
        catch (JsonException e) { throw new InvalidDataException($"{manifestPath} is damaged ({e.Message}); use another checkpoint."); }
        if (manifest.FormatVersion != FormatVersion)
            throw new InvalidDataException($"{directory} has checkpoint format {manifest.FormatVersion}; this version of the course reads format {FormatVersion}.");
        foreach (var (name, expected) in manifest.Files)
        {
            var path = Path.Combine(directory, name);
            if (!File.Exists(path)) throw new InvalidDataException($"Checkpoint {directory} is incomplete: {name} is missing.");
            var actual = Describe(path);
            if (actual.Bytes != expected.Bytes)
                throw new InvalidDataException($"Checkpoint file {path} has {actual.Bytes} bytes, {expected.Bytes} were written: it was truncated or changed. Use another checkpoint.");
            if (actual.Sha256 != expected.Sha256)
                throw new InvalidDataException($"Checkpoint file {path} does not match its recorded sha256: it is corrupt. Use another checkpoint.");
        }
        var weights = SafeTensors.Read(Path.Combine(directory, ModelFile));
        try
        {
            return new Loaded(manifest, TokenizerStore.Load(directory), weights, SafeTensors.Read(Path.Combine(directory, StateFile)));
        }
        catch
        {
            weights.Dispose();
            throw;
        }
    }

    /// <summary>The model of a checkpoint, on <paramref name="device"/> and in eval mode, with its tokenizer and manifest.</summary>
    public static (LanguageModel Model, ITokenizer Tokenizer, Manifest Manifest) LoadModel(string directory, Device device)
    {
        using var loaded = Load(directory);
        var model = LanguageModel.Create(loaded.Manifest.Config);
        LoadWeights(model, loaded.Weights.Tensors);
        model.to(device).eval();
        return (model, loaded.Tokenizer, loaded.Manifest);
    }

    /// <summary>Copies saved weights into <paramref name="model"/> (a language model, or a module around one) after checking that
    /// every name and shape matches.</summary>
    public static void LoadWeights(nn.Module model, IReadOnlyDictionary<string, Tensor> weights)
    {
        var parameters = model.named_parameters().ToList();
        var missing = parameters.Where(p => !weights.ContainsKey(p.name)).Select(p => p.name).ToList();
        var unexpected = weights.Keys.Except(parameters.Select(p => p.name)).ToList();
        if (missing.Count > 0 || unexpected.Count > 0)
            throw new InvalidDataException($"The checkpoint's weights do not fit this model (missing: {string.Join(", ", missing.DefaultIfEmpty("none"))}; unexpected: {string.Join(", ", unexpected.DefaultIfEmpty("none"))}).");
        foreach (var (name, parameter) in parameters)
            if (!weights[name].shape.SequenceEqual(parameter.shape))
                throw new InvalidDataException($"Weight '{name}' has shape [{string.Join(", ", weights[name].shape)}] in the checkpoint, the model needs [{string.Join(", ", parameter.shape)}].");
        using var noGrad = no_grad();
        foreach (var (name, parameter) in parameters) parameter.copy_(weights[name]);
    }

    private static void WriteFile(string path, Action<Stream> write)
    {
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        write(stream);
        stream.Flush(flushToDisk: true);
    }

    private static FileRecord Describe(string path)
    {
        using var stream = File.OpenRead(path);
        return new FileRecord(stream.Length, Convert.ToHexStringLower(SHA256.HashData(stream)));
    }

    /// <summary>Puts the finished temporary folder under the real name. A folder cannot be renamed over another,
    /// so the old one is first moved aside to NAME.old and deleted afterwards; a crash in between leaves NAME.old,
    /// which <see cref="Load"/> falls back to.</summary>
    private static void Replace(string temporary, string target)
    {
        var aside = target + ".old";
        if (Directory.Exists(aside)) Directory.Delete(aside, recursive: true);
        if (Directory.Exists(target)) Directory.Move(target, aside);
        Directory.Move(temporary, target);
        if (Directory.Exists(aside)) Directory.Delete(aside, recursive: true);
    }

    private static string RecoverInterruptedReplace(string directory) =>
        !Directory.Exists(directory) && Directory.Exists(directory + ".old") ? directory + ".old" : directory;
}
