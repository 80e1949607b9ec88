using System.Text.Json;
using System.Text.Json.Serialization;
using Course.Data;
using Course.Models;
using Course.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Course.FineTuning;

/// <summary>
/// A fine-tuned classifier in a run folder: <c>classifier.safetensors</c> (body.* and head.* weights),
/// <c>classifier.json</c> (what is needed to rebuild it: GPT config, labels, pooling, task, and the size and sha256 of
/// the weights file, checked before the weights are used) and the tokenizer's files.
/// </summary>
public static class ClassifierCheckpoint
{
    public const string WeightsFile = "classifier.safetensors", ManifestFile = "classifier.json";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, Converters = { new JsonStringEnumConverter() } };

    /// <param name="Source">The pretrained checkpoint the body came from, or null for a randomly initialised body.</param>
    public sealed record Manifest(string Task, IReadOnlyList<string> Labels, GptConfig Config, Pooling Pooling, string? Source, int Step, FileRecord? Weights = null);

    public static void Save(string runDirectory, GptClassifier model, Manifest manifest, ITokenizer tokenizer)
    {
        Directory.CreateDirectory(runDirectory);
        AtomicFile.Write(Path.Combine(runDirectory, WeightsFile), s => SafeTensors.Write(s, model.named_parameters().Select(p => (p.name, (Tensor)p.parameter)),
            new Dictionary<string, string> { ["format"] = "pt", ["task"] = manifest.Task }));
        tokenizer.Save(runDirectory);
        var described = manifest with { Weights = FileRecord.Of(Path.Combine(runDirectory, WeightsFile)) };
        AtomicFile.WriteBytes(Path.Combine(runDirectory, ManifestFile), JsonSerializer.SerializeToUtf8Bytes(described, Json));
    }

    /// <summary>The classifier of a run folder, on <paramref name="device"/> in eval mode, with its tokenizer and manifest.</summary>
    public static (GptClassifier Model, ITokenizer Tokenizer, Manifest Manifest) Load(string runDirectory, Device device)
    {
        var manifestPath = Path.Combine(runDirectory, ManifestFile);
        Folders.Require(runDirectory, "fine-tuning run", "Give the --out folder of a `course finetune` run.");
        if (!File.Exists(manifestPath))
            throw new UserError($"{runDirectory} holds no fine-tuned classifier ({ManifestFile} is missing). Give the --out folder of a `course finetune` run.");
        Manifest? manifest;
        try { manifest = JsonSerializer.Deserialize<Manifest>(File.ReadAllText(manifestPath), Json); }
        catch (JsonException e) { throw new UserError($"{manifestPath} is damaged ({e.Message}); run `course finetune` again."); }
        if (manifest?.Weights is null || manifest.Labels is null || manifest.Config is null || manifest.Task is null)
            throw new UserError($"{manifestPath} is damaged or from an older version (it does not describe {WeightsFile}); run `course finetune` again.");
        FileRecord.Verify(Path.Combine(runDirectory, WeightsFile), manifest.Weights, "Run `course finetune` again.");
        using var weights = SafeTensors.Read(Path.Combine(runDirectory, WeightsFile));
        var model = new GptClassifier(new Gpt(manifest.Config), manifest.Labels.Count, manifest.Pooling);
        Checkpoint.LoadWeights(model, weights.Tensors);
        model.to(device).eval();
        return (model, TokenizerStore.Load(runDirectory), manifest);
    }
}
