using System.Text.Json;
using Course.Data;
using Course.Models;
using Course.Training;
using static TorchSharp.torch;

namespace Course.Experiments;

/// <summary>What a sweep runs: the space, grid, random or Bayesian (how many trials), the trial budget, and the base
/// model and recipe.</summary>
/// <param name="RandomTrials">Null for a grid; otherwise the number of trials of a random or Bayesian search.</param>
/// <param name="Budget">At most this many trials, the first ones of the plan.</param>
/// <param name="Bayesian">Each trial after the first few random ones is proposed by <see cref="BayesianSearch"/> from
/// the finished trials' best validation losses.</param>
public sealed record SweepSpec(string Space, int? RandomTrials, int Budget, int Steps, string Preset, string Corpus, long Seed, bool Bayesian = false)
{
    /// <summary>How many trials random draws check before a Bayesian sweep starts: its trials are not known in advance.</summary>
    private const int BayesianDrawsChecked = 64;

    public SweepSpec Validate()
    {
        var space = SearchSpace.Parse(Space);
        if (Budget <= 0) throw new UserError($"The budget must be at least 1 trial (got {Budget}).");
        if (RandomTrials is <= 0) throw new UserError($"--{(Bayesian ? "bayes" : "random")} needs at least 1 trial (got {RandomTrials}).");
        if (Bayesian && RandomTrials is null) throw new UserError("A Bayesian search needs its number of trials: --bayes N.");
        if (Steps <= 0) throw new UserError($"--steps must be positive (got {Steps}).");
        var preset = Course.Preset.Named(Preset);
        // Every trial is checked now (a Bayesian sweep's by many draws from its space), so a bad value is reported
        // before the sweep folder is touched.
        var trials = Bayesian ? space.Random(BayesianDrawsChecked, (int)Seed) : Plan();
        foreach (var values in trials) Hyperparameters.Apply(preset.Model, preset.Training with { MaxSteps = Steps }, values);
        return this;
    }

    /// <summary>How many trials the sweep runs.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int TrialCount => Bayesian ? Math.Min(RandomTrials!.Value, Budget) : Plan().Count;

    /// <summary>The hyperparameter values of each trial, in the order they run (a grid or random search).</summary>
    public IReadOnlyList<Dictionary<string, double>> Plan()
    {
        if (Bayesian) throw new UserError("A Bayesian sweep proposes each trial from the finished ones, so its trials run one after another, in order.");
        var space = SearchSpace.Parse(Space);
        var all = RandomTrials is int n ? space.Random(n, (int)Seed) : space.Grid();
        return all.Take(Budget).ToList();
    }
}

/// <summary>
/// Runs the trials of a sweep one after another, each a pretraining run in SWEEP/trials/trial-NNN with its own run.json
/// and metrics.jsonl. Resumable: a trial whose run.json says "completed" is never run again; a trial folder left
/// without that (the process was killed mid-trial) is deleted and the trial starts over, since a half-trained trial
/// would not be comparable with the others. SWEEP/sweep.json holds the spec, and a sweep folder refuses a different spec.
/// </summary>
public sealed class Sweep(string directory, SweepSpec spec)
{
    public const string SpecFile = "sweep.json", TrialsFolder = "trials", ValuesFile = "values.json";
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public string Directory { get; } = Path.GetFullPath(directory);
    public SweepSpec Spec { get; } = spec.Validate();

    public string TrialDirectory(int index) => Path.Combine(Directory, TrialsFolder, $"trial-{index:D3}");

    /// <summary>Runs the trials not yet completed; returns the indices of those it ran.</summary>
    /// <param name="only">Just these trials of the plan (a Slurm array task runs one); null for all.</param>
    public IReadOnlyList<int> Run(CorpusText corpus, Device device, Action<string>? log = null, CancellationToken cancellation = default, IReadOnlySet<int>? only = null)
    {
        if (corpus.Name != Spec.Corpus && Path.GetFullPath(corpus.Name) != Path.GetFullPath(Spec.Corpus))
            throw new UserError($"The sweep is over corpus '{Spec.Corpus}', but '{corpus.Name}' was given.");
        RecordSpec();
        var preset = Preset.Named(Spec.Preset);
        var tokenizer = Tokenizers.FromSpec(preset.Tokenizer, corpus.Text);
        var plan = Spec.Bayesian ? null : Spec.Plan();
        var space = SearchSpace.Parse(Spec.Space);
        var bayesian = new BayesianSearch(space, BayesianSearch.DefaultInitialRandom(space));
        var finished = new List<(IReadOnlyDictionary<string, double> Trial, double Score)>();
        var ran = new List<int>();
        for (int i = 0; i < Spec.TrialCount && !cancellation.IsCancellationRequested; i++)
        {
            if (only is not null && !only.Contains(i)) continue;
            var trialDirectory = TrialDirectory(i);
            if (RunRecord.IsCompleted(trialDirectory))
            {
                var done = ReadValues(trialDirectory) ?? plan?[i]
                    ?? throw new UserError($"{trialDirectory} completed but lost its {ValuesFile}, which a Bayesian sweep needs to go on; delete that trial's folder to run it again.");
                finished.Add((done, Score(trialDirectory)));
                log?.Invoke($"trial {i} ({Hyperparameters.Describe(done)}): already completed, skipped");
                continue;
            }
            if (System.IO.Directory.Exists(trialDirectory)) System.IO.Directory.Delete(trialDirectory, recursive: true);
            // A Bayesian proposal depends only on the finished trials and the trial's index, so a resumed sweep
            // proposes what an uninterrupted one would have.
            var values = plan?[i] ?? bayesian.Propose(finished, seed: unchecked((int)Spec.Seed + i));
            var baseOptions = preset.Training with { MaxSteps = Spec.Steps, EvalInterval = Math.Min(preset.Training.EvalInterval, Spec.Steps), Seed = Spec.Seed };
            var (config, options) = Hyperparameters.Apply(preset.ModelFor(tokenizer.VocabSize), baseOptions, values);
            var record = RunRecord.Start("sweep-trial", config, options, corpus.Name);
            System.IO.Directory.CreateDirectory(trialDirectory);
            AtomicFile.WriteBytes(Path.Combine(trialDirectory, ValuesFile), JsonSerializer.SerializeToUtf8Bytes(values, Json));
            record.Save(trialDirectory);
            log?.Invoke($"trial {i} ({Hyperparameters.Describe(values)}): training {options.MaxSteps} steps");
            using (var trainer = new Trainer(config, corpus, tokenizer, options, device, trialDirectory))
                trainer.Run(cancellation);
            var status = cancellation.IsCancellationRequested ? RunRecord.Interrupted : RunRecord.Completed;
            record.Finish(status, RunRecord.LossMetrics(trialDirectory)).Save(trialDirectory);
            if (status != RunRecord.Completed) continue;
            ran.Add(i);
            finished.Add((values, Score(trialDirectory)));
        }
        return ran;
    }

    /// <summary>Each trial's values: a grid's or random search's plan, or what a Bayesian sweep has proposed so far
    /// (an empty set for a trial not yet proposed).</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, double>> TrialValues() =>
        Spec.Bayesian
            ? Enumerable.Range(0, Spec.TrialCount).Select(i => (IReadOnlyDictionary<string, double>?)ReadValues(TrialDirectory(i)) ?? new Dictionary<string, double>()).ToList()
            : Spec.Plan();

    /// <summary>What a search minimises: the trial's best validation loss (NaN when it never evaluated).</summary>
    private static double Score(string trialDirectory) =>
        RunRecord.Load(trialDirectory).FinalMetrics.GetValueOrDefault("best_val_loss", double.NaN);

    private static Dictionary<string, double>? ReadValues(string trialDirectory)
    {
        var path = Path.Combine(trialDirectory, ValuesFile);
        return File.Exists(path) ? JsonSerializer.Deserialize<Dictionary<string, double>>(File.ReadAllBytes(path)) : null;
    }

    /// <summary>The trial folders of a sweep folder, in trial order.</summary>
    public static IReadOnlyList<string> TrialDirectories(string sweepDirectory)
    {
        var trials = Path.Combine(sweepDirectory, TrialsFolder);
        return System.IO.Directory.Exists(trials) ? System.IO.Directory.GetDirectories(trials, "trial-*").Order(StringComparer.Ordinal).ToList() : [];
    }

    public static bool IsSweep(string directory) => File.Exists(Path.Combine(directory, SpecFile));

    internal void RecordSpec()
    {
        var path = Path.Combine(Directory, SpecFile);
        if (File.Exists(path))
        {
            var saved = JsonSerializer.Deserialize<SweepSpec>(File.ReadAllText(path), Json);
            if (saved != Spec)
                throw new UserError($"{Directory} holds a sweep with another spec ({saved}); this one is {Spec}. Resume it with the same options, or choose another --out.");
            return;
        }
        System.IO.Directory.CreateDirectory(Directory);
        AtomicFile.WriteBytes(path, JsonSerializer.SerializeToUtf8Bytes(Spec, Json));
    }
}
