using System.Text.Json;
using System.Text.Json.Serialization;
using Course.Data;
using Course.FineTuning.Lora;
using Course.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Course.FineTuning;

/// <summary>
/// What a fine-tuning run needs to continue exactly where it stopped, in its run folder's checkpoints/latest:
/// <c>classifier.safetensors</c> (every weight, LoRA adapters included under PEFT's names; the trained ones as AdamW's
/// fp32 master copies),
/// <c>state.safetensors</c> (AdamW's m and v and the random-number states), the tokenizer's files and
/// <c>finetune.json</c> (step, best accuracy, options, what rebuilds the classifier, and every file's size and sha256).
/// It is written and verified like a pretraining checkpoint (<see cref="CheckpointFolder"/>), so a kill during a save
/// leaves the previous one readable.
/// </summary>
public static class FineTuneCheckpoint
{
    public const string WeightsFile = ClassifierCheckpoint.WeightsFile, StateFile = Checkpoint.StateFile, ManifestFile = "finetune.json";
    public const string Latest = Trainer.LatestCheckpoint;

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, Converters = { new JsonStringEnumConverter() } };

    /// <param name="RandomBody">Whether the body started from a fresh initialisation rather than the pretrained weights.</param>
    public sealed record Manifest(int Step, double? BestValidationAccuracy, FineTuneOptions Options, ClassifierCheckpoint.Manifest Classifier, bool RandomBody,
        Dictionary<string, FileRecord> Files);

    /// <summary>A checkpoint read and verified; its tensors are on the CPU and owned by the caller.</summary>
    public sealed record Loaded(Manifest Manifest, ITokenizer Tokenizer, SafeTensors.Contents Weights, SafeTensors.Contents State) : IDisposable
    {
        /// <summary>The classifier's own weights, without LoRA adapters' (the trainer makes those and restores them
        /// with AdamW's state).</summary>
        public IReadOnlyDictionary<string, Tensor> ClassifierWeights =>
            Weights.Tensors.Where(w => !w.Key.StartsWith(LoraAdapters.PeftPrefix, StringComparison.Ordinal)).ToDictionary();

        public void Dispose()
        {
            Weights.Dispose();
            State.Dispose();
        }
    }

    public static void Save(string runDirectory, ClassifierTrainer trainer, ClassifierCheckpoint.Manifest classifier, bool randomBody, ITokenizer tokenizer)
    {
        using var scope = NewDisposeScope();
        var masters = trainer.Optimizer.MasterWeights().ToDictionary(w => w.Name, w => w.Tensor);
        IEnumerable<(string Name, Parameter Parameter)> parameters = [.. trainer.Model.named_parameters(), .. trainer.Adapters?.NamedParameters ?? []];
        var weights = parameters.Select(p => (p.Name, masters.GetValueOrDefault(p.Name) ?? p.Parameter));
        var manifest = new Manifest(trainer.Step, trainer.BestValidationAccuracy, trainer.Options, classifier with { Step = trainer.Step }, randomBody, []);
        CheckpointFolder.Write(Path.Combine(runDirectory, Latest), temporary =>
        {
            CheckpointFolder.WriteFile(Path.Combine(temporary, WeightsFile), s => SafeTensors.Write(s, weights, new Dictionary<string, string> { ["format"] = "pt" }));
            CheckpointFolder.WriteFile(Path.Combine(temporary, StateFile), s => SafeTensors.Write(s, trainer.StateTensors()));
            tokenizer.Save(temporary);
        }, (temporary, files) => CheckpointFolder.WriteFile(Path.Combine(temporary, ManifestFile),
            s => JsonSerializer.Serialize(s, manifest with { Files = files }, Json)));
    }

    /// <summary>Reads and verifies the checkpoint of <paramref name="runDirectory"/>; null when it has none.</summary>
    /// <exception cref="UserError">The checkpoint is damaged.</exception>
    public static Loaded? Load(string runDirectory)
    {
        var directory = CheckpointFolder.Recover(Path.Combine(runDirectory, Latest));
        var manifestPath = Path.Combine(directory, ManifestFile);
        if (!File.Exists(manifestPath)) return null;
        Manifest? manifest;
        try { manifest = JsonSerializer.Deserialize<Manifest>(File.ReadAllText(manifestPath), Json); }
        catch (JsonException e) { throw new UserError($"{manifestPath} is damaged ({e.Message}); start a new run with another --out."); }
        if (manifest?.Options is null || manifest.Classifier?.Config is null || manifest.Classifier.Labels is null || manifest.Files is null)
            throw new UserError($"{manifestPath} is damaged (a field is missing); start a new run with another --out.");
        CheckpointFolder.Verify(directory, manifest.Files);
        var weights = SafeTensors.Read(Path.Combine(directory, WeightsFile));
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
}
