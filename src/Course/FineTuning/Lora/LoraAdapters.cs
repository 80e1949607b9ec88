using Course.Models;
using TorchSharp.Modules;

namespace Course.FineTuning.Lora;

/// <summary>
/// The LoRA adapters of one <see cref="LanguageModel"/>: one <see cref="LoraAdapter"/> per target Linear, the model's own
/// weights frozen. Only A and B train, r · (in + out) numbers per adapted layer instead of in · out.
/// </summary>
public sealed class LoraAdapters : IDisposable
{
    /// <summary>PEFT's prefix of an adapter tensor's name: PeftModel.base_model (the LoraModel) .model (the wrapped model).</summary>
    public const string PeftPrefix = "base_model.model.";

    public LoraConfig Config { get; }
    public IReadOnlyList<LoraAdapter> Layers { get; }

    private LoraAdapters(LoraConfig config, IReadOnlyList<LoraAdapter> layers) => (Config, Layers) = (config, layers);

    /// <summary>Adapts every Linear of <paramref name="model"/> that <paramref name="config"/> targets and freezes all
    /// of the model's parameters (requires_grad = false). Adapters are made on each layer's device and dtype.</summary>
    public static LoraAdapters Apply(LanguageModel model, LoraConfig config)
    {
        config.Validate();
        var targets = model.named_modules().Where(m => m.module is Linear && config.Matches(m.name)).ToList();
        if (targets.Count == 0)
            throw new UserError($"No layer of this {model.Config.Architecture} model matches the LoRA targets {string.Join(", ", config.Targets)}; use attn or mlp.");
        foreach (var p in model.parameters()) p.requires_grad = false;
        return new LoraAdapters(config, targets.Select(m => new LoraAdapter(m.name, (Linear)m.module, config)).ToList());
    }

    /// <summary>A and B of every adapter under PEFT's names: base_model.model.PATH.lora_A.weight and .lora_B.weight.</summary>
    public IEnumerable<(string Name, Parameter Parameter)> NamedParameters =>
        Layers.SelectMany(l => new[] { ($"{PeftPrefix}{l.Path}.lora_A.weight", l.A), ($"{PeftPrefix}{l.Path}.lora_B.weight", l.B) });

    /// <summary>The numbers that train: Σ over adapted layers of r · (in + out).</summary>
    public long TrainableCount => Layers.Sum(l => l.A.numel() + l.B.numel());

    /// <summary>The module-path ends of the adapted layers, as PEFT's target_modules.</summary>
    public IReadOnlyList<string> TargetModules => Config.PathEnds.Where(end => Layers.Any(l => LoraConfig.EndsIn(l.Path, end))).ToList();

    public void Merge()
    {
        foreach (var layer in Layers) layer.Merge();
    }

    public void Unmerge()
    {
        foreach (var layer in Layers) layer.Unmerge();
    }

    public void Dispose()
    {
        foreach (var layer in Layers) layer.Dispose();
    }
}
