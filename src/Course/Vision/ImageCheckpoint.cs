using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Course.Data;
using Course.Training;
using static TorchSharp.torch;

namespace Course.Vision;

/// <summary>
/// A checkpoint of an image classifier, laid out as a GPT's (<see cref="Checkpoint"/>): a folder with
/// <c>model.safetensors</c> (the weights under PyTorch's names), <c>state.safetensors</c> (AdamW's m and v and the
/// random-number states) and <c>trainer.json</c> (step, model and its shape, options, data set, and every file's size
/// and SHA-256), written and verified by <see cref="CheckpointFolder"/>.
/// </summary>
public static class ImageCheckpoint
{
    public const int FormatVersion = 1;

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <param name="Model">The network's class, e.g. "ConvNet".</param>
    /// <param name="Config">Its shape (<see cref="ImageClassifier.Config"/>) as JSON.</param>
    public sealed record Manifest(int FormatVersion, int Step, double? BestValidationLoss, string Model, JsonNode Config, TrainingOptions Options,
        string Dataset, string DatasetSha256, Dictionary<string, FileRecord> Files);

    /// <summary>A verified checkpoint's manifest and tensors (on the CPU, owned by the caller).</summary>
    public sealed record Loaded(Manifest Manifest, SafeTensors.Contents Weights, SafeTensors.Contents State) : IDisposable
    {
        public void Dispose()
        {
            Weights.Dispose();
            State.Dispose();
        }
    }

    /// <summary>The shape of <paramref name="model"/> as a manifest records it.</summary>
    public static JsonNode ConfigOf(ImageClassifier model) => JsonSerializer.SerializeToNode(model.Config, model.Config.GetType(), Json)!;

    public static void Save(string directory, Manifest manifest, AdamW optimizer, IEnumerable<(string Name, Tensor Tensor)> randomStates)
    {
        using var scope = NewDisposeScope();
        CheckpointFolder.Write(directory, temporary =>
        {
            CheckpointFolder.WriteFile(Path.Combine(temporary, Checkpoint.ModelFile), s => SafeTensors.Write(s, optimizer.MasterWeights(),
                new Dictionary<string, string> { ["format"] = "pt", ["model"] = manifest.Model, ["config"] = manifest.Config.ToJsonString() }));
            CheckpointFolder.WriteFile(Path.Combine(temporary, Checkpoint.StateFile), s => SafeTensors.Write(s, optimizer.StateTensors().Concat(randomStates)));
        }, (temporary, files) => CheckpointFolder.WriteFile(Path.Combine(temporary, Checkpoint.ManifestFile),
            s => JsonSerializer.Serialize(s, manifest with { FormatVersion = FormatVersion, Files = files }, Json)));
    }

    /// <summary>Reads and verifies a checkpoint folder; throws <see cref="UserError"/> naming the problem.</summary>
    public static Loaded Load(string directory)
    {
        directory = CheckpointFolder.Recover(directory);
        var manifestPath = Path.Combine(directory, Checkpoint.ManifestFile);
        if (!Directory.Exists(directory)) throw new UserError($"No checkpoint at {directory}: the folder does not exist.");
        if (!File.Exists(manifestPath)) throw new UserError($"{directory} is not a checkpoint: it has no {Checkpoint.ManifestFile}.");
        Manifest? manifest;
        try { manifest = JsonSerializer.Deserialize<Manifest>(File.ReadAllText(manifestPath), Json); }
        catch (JsonException e) { throw new UserError($"{manifestPath} is damaged ({e.Message}); use another checkpoint."); }
        if (manifest?.Model is null || manifest.Config is null || manifest.Files is null)
            throw new UserError($"{manifestPath} is not an image classifier's checkpoint (it has no model, config or files); give the folder of a `course vision train` run.");
        if (manifest.FormatVersion != FormatVersion)
            throw new UserError($"{directory} has image checkpoint format {manifest.FormatVersion}; this version of the course reads format {FormatVersion}.");
        CheckpointFolder.Verify(directory, manifest.Files);
        var weights = SafeTensors.Read(Path.Combine(directory, Checkpoint.ModelFile));
        try
        {
            return new Loaded(manifest, weights, SafeTensors.Read(Path.Combine(directory, Checkpoint.StateFile)));
        }
        catch
        {
            weights.Dispose();
            throw;
        }
    }
}
