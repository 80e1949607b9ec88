using System.Text.Json;
using System.Text.Json.Serialization;
using Course.Data;
using Course.FineTuning.Lora;
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
/// <remarks>A LoRA run keeps only head.* in classifier.safetensors, and its adapters in PEFT's files
/// (<see cref="PeftAdapterFiles"/>) beside it: the body is the pretrained checkpoint, read again from
/// <c>Source</c> on load, its SHA-256 checked against the one recorded, and the adapters merged into it, so evaluation
/// runs the plain model at full speed and a run folder holds kilobytes instead of a copy of the body.</remarks>
public static class ClassifierCheckpoint
{
    public const string WeightsFile = "classifier.safetensors", ManifestFile = "classifier.json";
    private const string HeadPrefix = "head.";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, Converters = { new JsonStringEnumConverter() } };

    /// <param name="Source">The pretrained checkpoint the body came from, or null for a randomly initialised body.</param>
    /// <param name="SourceSha256">The SHA-256 of the source's weights file (model.safetensors).</param>
    /// <param name="Lora">The LoRA configuration when the body was adapted rather than trained; its adapters are then
    /// in <see cref="PeftAdapterFiles.WeightsFile"/>, described by <paramref name="Adapters"/>.</param>
    public sealed record Manifest(string Task, IReadOnlyList<string> Labels, GptConfig Config, Pooling Pooling, string? Source, int Step,
        FileRecord? Weights = null, string? SourceSha256 = null, LoraConfig? Lora = null, FileRecord? Adapters = null);

    /// <summary>Saves the classifier; with <paramref name="adapters"/> (which need the manifest's Source and
    /// SourceSha256), the head and the adapters only.</summary>
    public static void Save(string runDirectory, GptClassifier model, Manifest manifest, ITokenizer tokenizer, LoraAdapters? adapters = null)
    {
        Directory.CreateDirectory(runDirectory);
        if (adapters is not null)
        {
            if (manifest.Source is null || manifest.SourceSha256 is null) throw new ArgumentException("LoRA adapters are saved against a pretrained source; give the manifest's Source and SourceSha256.");
            PeftAdapterFiles.Save(runDirectory, adapters, manifest.Source, manifest.SourceSha256);
        }
        var saved = model.named_parameters().Where(p => adapters is null || p.name.StartsWith(HeadPrefix, StringComparison.Ordinal));
        AtomicFile.Write(Path.Combine(runDirectory, WeightsFile), s => SafeTensors.Write(s, saved.Select(p => (p.name, (Tensor)p.parameter)),
            new Dictionary<string, string> { ["format"] = "pt", ["task"] = manifest.Task }));
        tokenizer.Save(runDirectory);
        var described = manifest with
        {
            Weights = FileRecord.Of(Path.Combine(runDirectory, WeightsFile)),
            Lora = adapters?.Config,
            Adapters = adapters is null ? null : FileRecord.Of(Path.Combine(runDirectory, PeftAdapterFiles.WeightsFile)),
        };
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
        if (manifest.Lora is null)
        {
            var model = new GptClassifier(LanguageModel.Create(manifest.Config), manifest.Labels.Count, manifest.Pooling);
            Checkpoint.LoadWeights(model, weights.Tensors);
            model.to(device).eval();
            return (model, TokenizerStore.Load(runDirectory), manifest);
        }
        var adapted = new GptClassifier(MergedBody(runDirectory, manifest), manifest.Labels.Count, manifest.Pooling);
        Checkpoint.LoadWeights(adapted.named_parameters().Where(p => p.name.StartsWith(HeadPrefix, StringComparison.Ordinal)).ToList(), weights.Tensors);
        adapted.to(device).eval();
        return (adapted, TokenizerStore.Load(runDirectory), manifest);
    }

    /// <summary>The pretrained body of a LoRA run with its adapters merged in, after checking that the source is the
    /// checkpoint the adapters were trained on.</summary>
    private static LanguageModel MergedBody(string runDirectory, Manifest manifest)
    {
        if (manifest.Source is null || manifest.Adapters is null)
            throw new UserError($"{Path.Combine(runDirectory, ManifestFile)} is damaged (a LoRA run must name its source checkpoint and adapters file); run `course finetune` again.");
        FileRecord.Verify(Path.Combine(runDirectory, PeftAdapterFiles.WeightsFile), manifest.Adapters, "Run `course finetune` again.");
        if (!Directory.Exists(CheckpointFolder.Recover(manifest.Source)))
            throw new UserError($"This LoRA run's body is the checkpoint {manifest.Source}, which is gone: its adapters hold only the changes to it. Put that checkpoint back, or run `course finetune` again.");
        var (body, _, source) = Checkpoint.LoadModel(manifest.Source, CPU);
        try
        {
            using var adapters = PeftAdapterFiles.Load(runDirectory, body, source.Files[Checkpoint.ModelFile].Sha256);
            adapters.Merge();
            return body;
        }
        catch
        {
            body.Dispose();
            throw;
        }
    }
}
