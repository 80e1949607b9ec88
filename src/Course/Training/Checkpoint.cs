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

    public sealed record Manifest(int FormatVersion, int Step, double? BestValidationLoss, GptConfig Config, TrainingOptions Options,
        string CorpusName, string CorpusSha256, Dictionary<string, FileRecord> Files, string? Shards = null);

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
                .ToDictionary(name => name, name => FileRecord.Of(Path.Combine(temporary, name)));
            WriteFile(Path.Combine(temporary, ManifestFile), s => JsonSerializer.Serialize(s, manifest with { FormatVersion = FormatVersion, Files = files }, Json));
            Replace(temporary, full);
        }
        finally
        {
            if (Directory.Exists(temporary)) Directory.Delete(temporary, recursive: true);
        }
    }

    /// <summary>Reads and verifies a checkpoint folder; throws <see cref="UserError"/> naming the problem.</summary>
    public static Loaded Load(string directory)
    {
        var manifest = ReadManifest(directory);
        Verify(directory, manifest);
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

    /// <summary>trainer.json of a checkpoint folder, read but not yet checked against the files.</summary>
    public static Manifest ReadManifest(string directory)
    {
        var manifestPath = Path.Combine(directory, ManifestFile);
        Folders.Require(directory, "checkpoint", "Give a checkpoint folder such as runs/NAME/checkpoints/best.");
        if (!File.Exists(manifestPath)) throw new UserError($"{directory} is not a checkpoint: it has no {ManifestFile}.");
        Manifest? manifest;
        try { manifest = JsonSerializer.Deserialize<Manifest>(File.ReadAllText(manifestPath), Json); }
        catch (JsonException e) { throw new UserError($"{manifestPath} is damaged ({e.Message}); use another checkpoint."); }
        if (manifest is null || manifest.Config is null || manifest.Options is null || manifest.Files is null || manifest.CorpusName is null || manifest.CorpusSha256 is null)
            throw new UserError($"{manifestPath} is damaged (a field is missing or null); use another checkpoint.");
        if (manifest.FormatVersion != FormatVersion)
            throw new UserError($"{directory} has checkpoint format {manifest.FormatVersion}; this version of the course reads format {FormatVersion}.");
        return manifest;
    }

    /// <summary>Checks every file the manifest lists against its recorded size and sha256.</summary>
    private static void Verify(string directory, Manifest manifest)
    {
        foreach (var (name, expected) in manifest.Files)
            FileRecord.Verify(Path.Combine(directory, name), expected, "Use another checkpoint.");
    }

    /// <summary>The model of a checkpoint, on <paramref name="device"/> and in eval mode, with its tokenizer and manifest.</summary>
    public static (LanguageModel Model, ITokenizer Tokenizer, Manifest Manifest) LoadModel(string directory, Device device)
    {
        using var loaded = Load(RecoverInterruptedReplace(directory));
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
            throw new UserError($"The checkpoint's weights do not fit this model (missing: {string.Join(", ", missing.DefaultIfEmpty("none"))}; unexpected: {string.Join(", ", unexpected.DefaultIfEmpty("none"))}).");
        foreach (var (name, parameter) in parameters)
            if (!weights[name].shape.SequenceEqual(parameter.shape))
                throw new UserError($"Weight '{name}' has shape [{string.Join(", ", weights[name].shape)}] in the checkpoint, the model needs [{string.Join(", ", parameter.shape)}].");
        using var noGrad = no_grad();
        foreach (var (name, parameter) in parameters) parameter.copy_(weights[name]);
    }

    private static void WriteFile(string path, Action<Stream> write)
    {
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        write(stream);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>Puts the finished temporary folder under the real name. A folder cannot be renamed over another,
    /// so the old one is first moved aside to NAME.old and removed afterwards; a crash in between leaves NAME.old,
    /// which a resume falls back to. Folders are only ever deleted under a hidden trash name, so a crash during a
    /// delete never leaves a half-deleted folder under a name that counts.</summary>
    private static void Replace(string temporary, string target)
    {
        var aside = target + ".old";
        if (Directory.Exists(aside)) Discard(aside);
        if (Directory.Exists(target)) Directory.Move(target, aside);
        Directory.Move(temporary, target);
        if (Directory.Exists(aside)) Discard(aside);
    }

    private static void Discard(string directory)
    {
        var trash = Path.Combine(Path.GetDirectoryName(directory)!, $".{Path.GetFileName(directory)}.trash-{Guid.NewGuid():N}");
        Directory.Move(directory, trash);
        Directory.Delete(trash, recursive: true);
    }

    /// <summary>Deletes what saves killed part-way left in <paramref name="checkpointsDirectory"/>: temporary folders
    /// (.NAME.tmp-*) and folders being discarded (.NAME.trash-*). Returns how many it removed. Call it only while
    /// holding the run folder's lock, so no save is in progress.</summary>
    public static int CleanInterruptedSaves(string checkpointsDirectory)
    {
        if (!Directory.Exists(checkpointsDirectory)) return 0;
        var leftovers = Directory.GetDirectories(checkpointsDirectory, ".*")
            .Where(d => Path.GetFileName(d) is var n && (n.Contains(".tmp-") || n.Contains(".trash-"))).ToList();
        foreach (var directory in leftovers) Directory.Delete(directory, recursive: true);
        return leftovers.Count;
    }

    private static string RecoverInterruptedReplace(string directory) =>
        !Directory.Exists(directory) && Directory.Exists(directory + ".old") ? directory + ".old" : directory;
}
