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
        ["batch_size"] = (s, v) => (s.Config, s.Options with { BatchSize = Integer("batch_size", v, SweepMaximum) }),
        ["warmup_steps"] = (s, v) => (s.Config, s.Options with { WarmupSteps = Integer("warmup_steps", v) }),
        ["n_embd"] = (s, v) => (s.Config with { NEmbd = Integer("n_embd", v, SweepMaximum) }, s.Options),
        ["n_layer"] = (s, v) => (s.Config with { NLayer = Integer("n_layer", v, 96) }, s.Options),
        ["n_head"] = (s, v) => (s.Config with { NHead = Integer("n_head", v, 96) }, s.Options),
        ["block_size"] = (s, v) => (s.Config with { BlockSize = Integer("block_size", v, SweepMaximum) }, s.Options),
        ["dropout"] = (s, v) => (s.Config with { Dropout = v }, s.Options),
    };

    public static IReadOnlyList<string> Names { get; } = Setters.Keys.ToList();

    /// <summary>The largest batch, width or context a sweep trial may have: a sweep compares many small runs, and one
    /// trial with a context of 100,000 would run for days on a CPU (attention is quadratic in the context).</summary>
    public const int SweepMaximum = 4096;

    public static bool IsKnown(string name) => Setters.ContainsKey(name);

    /// <summary>The config and options with every value of <paramref name="values"/> set, then validated.</summary>
    public static (GptConfig Config, TrainingOptions Options) Apply(GptConfig config, TrainingOptions options, IReadOnlyDictionary<string, double> values)
    {
        var state = (config, options);
        foreach (var (name, value) in values)
        {
            if (!Setters.TryGetValue(name, out var set))
                throw new UserError($"Unknown hyperparameter '{name}'. Known: {string.Join(", ", Names)}.");
            state = set(state, value);
        }
        try { state.config.Validate(); }
        catch (ArgumentException e) { throw new UserError($"The trial {Describe(values)} is not a valid model: {e.Message}"); }
        return (state.config, state.options.Validate());
    }

    /// <summary>"lr=0.003,n_embd=64": a trial's values in a stable order, for logs and tables.</summary>
    public static string Describe(IReadOnlyDictionary<string, double> values) =>
        string.Join(",", values.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => $"{v.Key}={v.Value.ToString("G6", CultureInfo.InvariantCulture)}"));

    private static int Integer(string name, double value, int maximum = int.MaxValue) =>
        value == Math.Floor(value) && value > 0 && value <= maximum ? (int)value
            : throw new UserError($"{name} must be a whole number from 1 to {maximum:N0} (got {value.ToString(CultureInfo.InvariantCulture)}).");
}
