using System.Text.Json;
using Course.Data;
using Course.Models;
using Course.Training;
using static TorchSharp.torch;

namespace Course.Experiments;

/// <summary>What a sweep runs: the space, grid or random (how many draws), the trial budget, and the base model and recipe.</summary>
/// <param name="RandomTrials">Null for a grid; otherwise the number of random draws.</param>
/// <param name="Budget">At most this many trials, the first ones of the plan.</param>
public sealed record SweepSpec(string Space, int? RandomTrials, int Budget, int Steps, string Preset, string Corpus, long Seed)
{
    public SweepSpec Validate()
    {
        SearchSpace.Parse(Space);
        if (Budget <= 0) throw new UserError($"The budget must be at least 1 trial (got {Budget}).");
        if (RandomTrials is <= 0) throw new UserError($"--random needs at least 1 trial (got {RandomTrials}).");
        if (Steps <= 0) throw new UserError($"--steps must be positive (got {Steps}).");
        var preset = Course.Preset.Named(Preset);
        // Every trial is checked now, so a bad value is reported before the sweep folder is touched.
        foreach (var values in Plan()) Hyperparameters.Apply(preset.Model, preset.Training with { MaxSteps = Steps }, values);
        return this;
    }

    /// <summary>The hyperparameter values of each trial, in the order they run.</summary>
    public IReadOnlyList<Dictionary<string, double>> Plan()
    {
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
    public const string SpecFile = "sweep.json", TrialsFolder = "trials";
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
        var plan = Spec.Plan();
        var ran = new List<int>();
        for (int i = 0; i < plan.Count && !cancellation.IsCancellationRequested; i++)
        {
            if (only is not null && !only.Contains(i)) continue;
            var trialDirectory = TrialDirectory(i);
            if (RunRecord.IsCompleted(trialDirectory))
            {
                log?.Invoke($"trial {i} ({Hyperparameters.Describe(plan[i])}): already completed, skipped");
                continue;
            }
            if (System.IO.Directory.Exists(trialDirectory)) System.IO.Directory.Delete(trialDirectory, recursive: true);
            var baseOptions = preset.Training with { MaxSteps = Spec.Steps, EvalInterval = Math.Min(preset.Training.EvalInterval, Spec.Steps), Seed = Spec.Seed };
            var (config, options) = Hyperparameters.Apply(preset.ModelFor(tokenizer.VocabSize), baseOptions, plan[i]);
            var record = RunRecord.Start("sweep-trial", config, options, corpus.Name);
            System.IO.Directory.CreateDirectory(trialDirectory);
            record.Save(trialDirectory);
            log?.Invoke($"trial {i} ({Hyperparameters.Describe(plan[i])}): training {options.MaxSteps} steps");
            using (var trainer = new Trainer(config, corpus, tokenizer, options, device, trialDirectory))
                trainer.Run(cancellation);
            var status = cancellation.IsCancellationRequested ? RunRecord.Interrupted : RunRecord.Completed;
            record.Finish(status, RunRecord.LossMetrics(trialDirectory)).Save(trialDirectory);
            if (status == RunRecord.Completed) ran.Add(i);
        }
        return ran;
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
