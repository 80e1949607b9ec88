using Course.Experiments;
using Course.Tests.Data;
using Course.Tests.Training;
using static TorchSharp.torch;

namespace Course.Tests.Experiments;

public class SweepTests
{
    private static SweepSpec Spec(string space = "lr=1e-3,3e-3", int budget = 10) =>
        new(space, RandomTrials: null, Budget: budget, Steps: 2, Preset: "tiny", Corpus: "test-corpus", Seed: 7);

    [Fact]
    public void Completed_trials_are_not_rerun_and_an_interrupted_trial_starts_over()
    {
        using var folder = new TempDirectory();
        var corpus = TrainingFixtures.Corpus();
        var sweep = new Sweep(folder.Path, Spec());
        Assert.Equal([0, 1], sweep.Run(corpus, CPU));
        var created = RunRecord.Load(sweep.TrialDirectory(0)).Created;

        // Run again, deleting nothing: every trial is recorded as completed, so none runs.
        Assert.Empty(new Sweep(folder.Path, Spec()).Run(corpus, CPU));
        Assert.Equal(created, RunRecord.Load(sweep.TrialDirectory(0)).Created);

        // A process killed during trial 1 leaves run.json with status "running" (and partial metrics): only it reruns.
        var trial1 = sweep.TrialDirectory(1);
        RunRecord.Load(trial1).Finish(RunRecord.Running, new Dictionary<string, double>()).Save(trial1);
        File.AppendAllText(Path.Combine(trial1, "metrics.jsonl"), "{\"kind\":\"step\",\"step\":99}\n");
        Assert.Equal([1], new Sweep(folder.Path, Spec()).Run(corpus, CPU));
        Assert.Equal(RunRecord.Completed, RunRecord.Load(trial1).Status);
        Assert.DoesNotContain("\"step\":99", File.ReadAllText(Path.Combine(trial1, "metrics.jsonl")));

        // The trials share a schema; the best by validation loss is one of them.
        var best = new RunComparison([folder.Path]).Best("best_val_loss");
        Assert.Contains(best.Directory, new[] { sweep.TrialDirectory(0), trial1 });
    }

    [Fact]
    public void A_sweep_folder_refuses_a_different_spec()
    {
        using var folder = new TempDirectory();
        new Sweep(folder.Path, Spec(budget: 1)).Run(TrainingFixtures.Corpus(), CPU);
        var e = Assert.Throws<UserError>(() => new Sweep(folder.Path, Spec("lr=1e-2", budget: 1)).Run(TrainingFixtures.Corpus(), CPU));
        Assert.Contains("another spec", e.Message);
    }

    [Fact]
    public void A_Bayesian_sweep_proposes_from_its_finished_trials_and_a_resumed_one_proposes_the_same()
    {
        using var folder = new TempDirectory();
        var corpus = TrainingFixtures.Corpus();
        var spec = Spec("lr=1e-4..1e-2:log;warmup_steps=1..3:int", budget: 5) with { RandomTrials = 5, Bayesian = true };
        var sweep = new Sweep(folder.Path, spec);
        Assert.Equal([0, 1, 2, 3, 4], sweep.Run(corpus, CPU));
        var proposed = sweep.TrialValues().Select(Hyperparameters.Describe).ToList();
        Assert.Equal(5, proposed.Distinct().Count());
        Assert.Throws<UserError>(() => spec.Plan()); // no plan: trials 3 and 4 came from the Gaussian process

        // Killed during trial 3: trials 3 and 4 run again, and the surrogate, refit on trials 0 to 2, proposes the same points.
        var trial3 = sweep.TrialDirectory(3);
        RunRecord.Load(trial3).Finish(RunRecord.Running, new Dictionary<string, double>()).Save(trial3);
        Directory.Delete(sweep.TrialDirectory(4), recursive: true);
        Assert.Equal([3, 4], new Sweep(folder.Path, spec).Run(corpus, CPU));
        Assert.Equal(proposed, sweep.TrialValues().Select(Hyperparameters.Describe));
    }

    [Fact]
    public void Grid_and_random_plans()
    {
        var grid = SearchSpace.Parse("lr=1e-3,3e-3; n_embd=32,64").Grid();
        Assert.Equal(["lr=0.001,n_embd=32", "lr=0.001,n_embd=64", "lr=0.003,n_embd=32", "lr=0.003,n_embd=64"], grid.Select(Hyperparameters.Describe));
        var space = SearchSpace.Parse("lr=1e-3,3e-3,1e-2;n_embd=32,64");
        Assert.Equal(space.Random(5, 42).Select(Hyperparameters.Describe), space.Random(5, 42).Select(Hyperparameters.Describe));
        Assert.Equal(3, (Spec(budget: 3) with { Space = "lr=1e-3,3e-3;n_embd=32,64" }).Plan().Count); // 4 combinations, budget 3
    }

    [Theory]
    [InlineData("learning_rate=1e-3", "Unknown hyperparameter 'learning_rate'")]
    [InlineData("", "search space is empty")]
    [InlineData("lr=", "has no values")]
    [InlineData("lr=fast", "'fast' is not a number")]
    [InlineData("n_embd=32.5", "whole number")]
    public void Bad_search_spaces_are_refused_with_the_reason(string space, string expected)
    {
        var e = Assert.Throws<UserError>(() => Hyperparameters.Apply(Course.Preset.Named("tiny").Model, new Course.Training.TrainingOptions(),
            SearchSpace.Parse(space).Grid()[0]));
        Assert.Contains(expected, e.Message);
        if (expected.StartsWith("Unknown")) Assert.Contains("n_embd", e.Message); // lists the known names
    }

    [Fact]
    public void A_budget_of_zero_is_refused()
    {
        Assert.Contains("at least 1 trial", Assert.Throws<UserError>(() => Spec(budget: 0).Validate()).Message);
    }
}
