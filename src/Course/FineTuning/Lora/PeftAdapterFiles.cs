using System.Text.Json;
using System.Text.Json.Serialization;
using Course.Data;
using Course.Models;
using Course.Training;

namespace Course.FineTuning.Lora;

/// <summary>
/// LoRA adapters as PEFT saves them: <c>adapter_model.safetensors</c> (base_model.model.PATH.lora_A.weight / lora_B.weight)
/// and <c>adapter_config.json</c> (peft_type LORA, r, lora_alpha, lora_dropout, target_modules, base_model_name_or_path).
/// </summary>
/// <remarks>
/// Adapters only make sense on the weights they were trained on, so the SHA-256 of the base checkpoint's weights file
/// is recorded, in the safetensors metadata (base_model_sha256) rather than in adapter_config.json: PEFT reads the
/// config into LoraConfig(**fields), which older versions refuse when a field is unknown, and ignores metadata.
/// Loading onto a base with another hash is refused.
/// </remarks>
public static class PeftAdapterFiles
{
    public const string WeightsFile = "adapter_model.safetensors", ConfigFile = "adapter_config.json", BaseHashKey = "base_model_sha256";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>adapter_config.json, in PEFT's field names.</summary>
    public sealed record PeftConfig(
        [property: JsonPropertyName("peft_type")] string PeftType,
        [property: JsonPropertyName("r")] int R,
        [property: JsonPropertyName("lora_alpha")] double LoraAlpha,
        [property: JsonPropertyName("lora_dropout")] double LoraDropout,
        [property: JsonPropertyName("target_modules")] IReadOnlyList<string> TargetModules,
        [property: JsonPropertyName("base_model_name_or_path")] string BaseModelNameOrPath,
        [property: JsonPropertyName("bias")] string Bias = "none",
        [property: JsonPropertyName("fan_in_fan_out")] bool FanInFanOut = false,
        [property: JsonPropertyName("inference_mode")] bool InferenceMode = true);

    public static void Save(string directory, LoraAdapters adapters, string baseModelNameOrPath, string baseSha256)
    {
        var config = new PeftConfig("LORA", adapters.Config.Rank, adapters.Config.Alpha, adapters.Config.Dropout, adapters.TargetModules, baseModelNameOrPath);
        AtomicFile.Write(Path.Combine(directory, WeightsFile), s => SafeTensors.Write(s, adapters.NamedParameters.Select(p => (p.Name, (TorchSharp.torch.Tensor)p.Parameter)),
            new Dictionary<string, string> { ["format"] = "pt", [BaseHashKey] = baseSha256 }));
        AtomicFile.WriteBytes(Path.Combine(directory, ConfigFile), JsonSerializer.SerializeToUtf8Bytes(config, Json));
    }

    /// <summary>The adapters saved in <paramref name="directory"/>, applied to <paramref name="model"/> (unmerged) after
    /// checking that the model is the base they were trained on (<paramref name="baseSha256"/>).</summary>
    public static LoraAdapters Load(string directory, LanguageModel model, string baseSha256)
    {
        var configPath = Path.Combine(directory, ConfigFile);
        if (!File.Exists(configPath)) throw new UserError($"{directory} holds no LoRA adapters ({ConfigFile} is missing).");
        PeftConfig? config;
        try { config = JsonSerializer.Deserialize<PeftConfig>(File.ReadAllText(configPath), Json); }
        catch (JsonException e) { throw new UserError($"{configPath} is damaged ({e.Message}); save the adapters again."); }
        if (config is null || config.PeftType != "LORA" || config.TargetModules is null)
            throw new UserError($"{configPath} does not describe LoRA adapters (peft_type must be LORA, with target_modules); save the adapters again.");
        using var weights = SafeTensors.Read(Path.Combine(directory, WeightsFile));
        var recorded = weights.Metadata.GetValueOrDefault(BaseHashKey);
        if (recorded != baseSha256)
            throw new UserError($"The LoRA adapters in {directory} were trained on base weights with SHA-256 {recorded ?? "(not recorded)"}, " +
                $"but this base ({config.BaseModelNameOrPath}) has {baseSha256}. Load them onto the checkpoint they were trained on, or train new adapters.");
        var adapters = LoraAdapters.Apply(model, new LoraConfig(config.R, config.LoraAlpha, config.LoraDropout, config.TargetModules));
        try
        {
            Checkpoint.LoadWeights(adapters.NamedParameters.ToList(), weights.Tensors);
        }
        catch
        {
            adapters.Dispose();
            throw;
        }
        return adapters;
    }
}
