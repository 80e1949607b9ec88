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
        CheckpointFolder.Write(directory, temporary =>
        {
            CheckpointFolder.WriteFile(Path.Combine(temporary, ModelFile), s => SafeTensors.Write(s, optimizer.MasterWeights(),
                new Dictionary<string, string> { ["format"] = "pt", ["config"] = JsonSerializer.Serialize(manifest.Config) }));
            CheckpointFolder.WriteFile(Path.Combine(temporary, StateFile), s => SafeTensors.Write(s, optimizer.StateTensors().Concat(randomStates)));
            tokenizer.Save(temporary);
        }, (temporary, files) => CheckpointFolder.WriteFile(Path.Combine(temporary, ManifestFile),
            s => JsonSerializer.Serialize(s, manifest with { FormatVersion = FormatVersion, Files = files }, Json)));
    }

    /// <summary>Reads and verifies a checkpoint folder; throws <see cref="UserError"/> naming the problem.</summary>
    public static Loaded Load(string directory)
    {
        var manifest = ReadManifest(directory);
        CheckpointFolder.Verify(directory, manifest.Files);
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

    /// <summary>The model of a checkpoint, on <paramref name="device"/> and in eval mode, with its tokenizer and manifest.</summary>
    public static (LanguageModel Model, ITokenizer Tokenizer, Manifest Manifest) LoadModel(string directory, Device device)
    {
        using var loaded = Load(CheckpointFolder.Recover(directory));
        var model = LanguageModel.Create(loaded.Manifest.Config);
        LoadWeights(model, loaded.Weights.Tensors);
        model.to(device).eval();
        return (model, loaded.Tokenizer, loaded.Manifest);
    }

    /// <summary>Copies saved weights into <paramref name="model"/> (a language model, or a module around one) after checking that
    /// every name and shape matches.</summary>
    public static void LoadWeights(nn.Module model, IReadOnlyDictionary<string, Tensor> weights) => LoadWeights(model.named_parameters().ToList(), weights);

    /// <summary>Copies saved weights into named parameters (a model's, or adapters' kept outside it) after checking
    /// that every name and shape matches.</summary>
    public static void LoadWeights(IReadOnlyList<(string name, TorchSharp.Modules.Parameter parameter)> parameters, IReadOnlyDictionary<string, Tensor> weights)
    {
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
}
