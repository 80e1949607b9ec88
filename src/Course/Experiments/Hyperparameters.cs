using System.Globalization;
using Course.Models;
using Course.Training;

namespace Course.Experiments;

/// <summary>The hyperparameters a sweep may vary, by their nanoGPT names, and how each sets a model config or training options.</summary>
public static class Hyperparameters
{
    private static readonly Dictionary<string, Func<(GptConfig Config, TrainingOptions Options), double, (GptConfig, TrainingOptions)>> Setters = new()
    {
        // As `course pretrain --lr`: the cosine decays to a tenth of the peak.
        ["lr"] = (s, v) => (s.Config, s.Options.WithLearningRate(v)),
        ["weight_decay"] = (s, v) => (s.Config, s.Options with { WeightDecay = v }),
        ["batch_size"] = (s, v) => (s.Config, s.Options with { BatchSize = Integer("batch_size", v) }),
        ["warmup_steps"] = (s, v) => (s.Config, s.Options with { WarmupSteps = Integer("warmup_steps", v) }),
        ["n_embd"] = (s, v) => (s.Config with { NEmbd = Integer("n_embd", v) }, s.Options),
        ["n_layer"] = (s, v) => (s.Config with { NLayer = Integer("n_layer", v) }, s.Options),
        ["n_head"] = (s, v) => (s.Config with { NHead = Integer("n_head", v) }, s.Options),
        // Llama presets only (grouped-query attention): GPT configs refuse it by name.
        ["n_kv_head"] = (s, v) => (s.Config with { NKvHead = Integer("n_kv_head", v) }, s.Options),
        ["block_size"] = (s, v) => (s.Config with { BlockSize = Integer("block_size", v) }, s.Options),
        ["dropout"] = (s, v) => (s.Config with { Dropout = v }, s.Options),
    };

    public static IReadOnlyList<string> Names { get; } = Setters.Keys.ToList();

    public static bool IsKnown(string name) => Setters.ContainsKey(name);

    /// <summary>The config and options with every value of <paramref name="values"/> set, then validated.</summary>
    public static (GptConfig Config, TrainingOptions Options) Apply(GptConfig config, TrainingOptions options, IReadOnlyDictionary<string, double> values)
    {
        var state = (config, options);
        foreach (var (name, value) in values)
        {
            if (!Setters.TryGetValue(name, out var set))
                throw new ArgumentException($"Unknown hyperparameter '{name}'. Known: {string.Join(", ", Names)}.");
            state = set(state, value);
        }
        return (state.config.Validate(), state.options.Validate());
    }

    /// <summary>"lr=0.003,n_embd=64": a trial's values in a stable order, for logs and tables.</summary>
    public static string Describe(IReadOnlyDictionary<string, double> values) =>
        string.Join(",", values.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => $"{v.Key}={v.Value.ToString("G6", CultureInfo.InvariantCulture)}"));

    private static int Integer(string name, double value) =>
        value == Math.Floor(value) && value is > 0 and <= int.MaxValue ? (int)value : throw new ArgumentException($"{name} must be a positive whole number (got {value.ToString(CultureInfo.InvariantCulture)}).");
}
