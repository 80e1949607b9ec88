using System.Globalization;
using Course.Data;
using Course.Models;
using Course.Training;

namespace Course.Cli;

/// <summary>The options given to `course pretrain`, each null when left out: applied to a preset's recipe for a new
/// run, or checked against a checkpoint's options for a resumed one.</summary>
public sealed record PretrainRequest(string? Preset, string? Corpus, string? Tokenizer, string? Shards, int? Steps, int? BatchSize, int? GradientAccumulation,
    double? LearningRate, int? EvalInterval, int? EvalBatches, int? SaveInterval, long? Seed, Precision? Precision)
{
    /// <summary>The options of a new run: <paramref name="recipe"/> with every given option in place of its value.</summary>
    public TrainingOptions ApplyTo(TrainingOptions recipe)
    {
        var r = LearningRate is double peak ? recipe.WithLearningRate(peak) : recipe;
        return r with
        {
            MaxSteps = Steps ?? r.MaxSteps, BatchSize = BatchSize ?? r.BatchSize, GradientAccumulationSteps = GradientAccumulation ?? r.GradientAccumulationSteps,
            EvalInterval = EvalInterval ?? r.EvalInterval, EvalBatches = EvalBatches ?? r.EvalBatches, SaveInterval = SaveInterval ?? r.SaveInterval,
            Seed = Seed ?? r.Seed, Precision = Precision ?? r.Precision,
        };
    }

    /// <summary>The options of a resumed run: the checkpoint's, with a larger --steps if given. Any other option
    /// given with a value other than the run's is refused by name, since the run would no longer be the same run.</summary>
    /// <exception cref="UserError">A conflicting option, or --steps not beyond the steps already done.</exception>
    public TrainingOptions Merge(Checkpoint.Manifest saved, ITokenizer savedTokenizer)
    {
        var o = saved.Options;
        var conflicts = new List<string>();
        void Check<T>(string option, T? given, T run) where T : struct
        {
            if (given is T value && !value.Equals(run)) conflicts.Add($"{option} {Show(value)} (the run has {Show(run)})");
        }
        if (Preset is string p && Course.Preset.Named(p).ModelFor(saved.Config.VocabSize) != saved.Config)
            conflicts.Add($"--preset {p} (the run's model is {PresetOf(saved.Config)}: {Describe(saved.Config)})");
        if (Corpus is string c && (saved.Shards is not null || !SameCorpus(c, saved.CorpusName)))
            conflicts.Add($"--corpus {c} (the run trains on {saved.Shards ?? saved.CorpusName})");
        if (Shards is string s && s != saved.Shards) conflicts.Add($"--shards {s} (the run trains on {saved.Shards ?? saved.CorpusName})");
        if (Tokenizer is string t && !Names(t, savedTokenizer)) conflicts.Add($"--tokenizer {t} (the run's is {savedTokenizer.Kind} with {savedTokenizer.VocabSize} tokens)");
        Check("--batch-size", BatchSize, o.BatchSize);
        Check("--grad-accum", GradientAccumulation, o.GradientAccumulationSteps);
        Check("--lr", LearningRate, o.LearningRate);
        Check("--eval-interval", EvalInterval, o.EvalInterval);
        Check("--eval-batches", EvalBatches, o.EvalBatches);
        Check("--save-interval", SaveInterval, o.CheckpointInterval);
        Check("--seed", Seed, o.Seed);
        Check("--precision", Precision, o.Precision);
        if (conflicts.Count > 0)
            throw new UserError($"--resume continues a run with the options it was started with, and these differ: {string.Join("; ", conflicts)}. " +
                "Leave them out to resume, or start a new run with another --out.");
        if (Steps is int steps && steps <= saved.Step)
            throw new UserError($"--steps {steps}: the run has already done {saved.Step} steps. Give more than {saved.Step}, or leave --steps out to finish its {o.MaxSteps}.");
        if (Steps is null && saved.Step >= o.MaxSteps)
            throw new UserError($"The run already completed its {o.MaxSteps} steps, so there is nothing to resume. To train it further, give --steps with more than {saved.Step}.");
        return o with { MaxSteps = Steps ?? o.MaxSteps };
    }

    /// <summary>The preset whose model this is, or "custom".</summary>
    public static string PresetOf(GptConfig config) =>
        Course.Preset.All.Values.FirstOrDefault(p => p.ModelFor(config.VocabSize) == config)?.Name ?? "custom";

    private static string Describe(GptConfig c) => $"{c.NLayer} layers × {c.NEmbd}, {c.NHead} heads, context {c.BlockSize}";

    private static string Show(object value) => value switch
    {
        double d => d.ToString("G", CultureInfo.InvariantCulture),
        Precision p => p.ToString().ToLowerInvariant(),
        _ => value.ToString()!,
    };

    private static bool SameCorpus(string given, string run) =>
        given == run || File.Exists(given) && File.Exists(run) && Path.GetFullPath(given) == Path.GetFullPath(run);

    /// <summary>Whether a tokenizer spec ("char", "bpe:8192", "cl100k_base") names <paramref name="tokenizer"/>.</summary>
    private static bool Names(string spec, ITokenizer tokenizer) =>
        spec.StartsWith("bpe:", StringComparison.Ordinal) ? tokenizer.Kind == "bpe" && spec == $"bpe:{tokenizer.VocabSize}" : spec == tokenizer.Kind;
}
