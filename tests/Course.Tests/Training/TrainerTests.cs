using Course.Training;
using TorchSharp;
using static Course.Tests.Training.TrainingFixtures;

namespace Course.Tests.Training;

public class TrainerTests
{
    [Fact]
    public void Training_lowers_the_loss_and_logs_steps_and_evaluations()
    {
        var run = TempDirectory();
        using var trainer = NewTrainer(Options(60) with { EvalInterval = 20 }, run, dropout: 0);
        var steps = new List<StepMetrics>();
        trainer.StepCompleted += steps.Add;
        trainer.Run();

        Assert.Equal(60, steps.Count);
        Assert.True(steps[^1].Loss < steps[0].Loss - 1.0, $"loss went from {steps[0].Loss} to {steps[^1].Loss}");
        var lines = MetricsLog.Read(run).ToList();
        Assert.Equal(60, lines.Count(l => l.GetProperty("kind").GetString() == "step"));
        var evals = lines.Where(l => l.GetProperty("kind").GetString() == "eval").ToList();
        Assert.Equal(new[] { 0, 20, 40, 60 }, evals.Select(e => e.GetProperty("step").GetInt32()));
        Assert.True(lines[1].GetProperty("grad_norm").GetDouble() > 0);
        Assert.True(Directory.Exists(Path.Combine(run, Trainer.LatestCheckpoint)));
        Assert.True(Directory.Exists(Path.Combine(run, Trainer.BestCheckpoint)));
    }

    [Fact]
    public void Resuming_from_a_checkpoint_continues_exactly_as_an_uninterrupted_run()
    {
        // Dropout on, so the global random state must be restored too, not only the batch sampler's.
        var straight = new List<double>();
        using (var trainer = NewTrainer(Options(8)))
        {
            trainer.StepCompleted += m => straight.Add(m.Loss);
            trainer.Run();
        }

        var run = TempDirectory();
        var resumed = new List<double>();
        using (var first = NewTrainer(Options(8) with { MaxSteps = 4, DecaySteps = 8 }, run))
        {
            first.StepCompleted += m => resumed.Add(m.Loss);
            first.Run();
        }
        using (var second = NewTrainer(Options(8), run))
        {
            second.Resume(Path.Combine(run, Trainer.LatestCheckpoint));
            second.StepCompleted += m => resumed.Add(m.Loss);
            second.Run();
        }
        Assert.Equal(straight, resumed);
    }

    [Fact]
    public void Cancelling_finishes_the_step_and_saves_the_latest_checkpoint()
    {
        var run = TempDirectory();
        using var cancel = new CancellationTokenSource();
        using var trainer = NewTrainer(Options(1000), run);
        trainer.StepCompleted += m => { if (m.Step == 3) cancel.Cancel(); };
        trainer.Run(cancel.Token);
        Assert.Equal(3, trainer.Step);
        using var loaded = Checkpoint.Load(Path.Combine(run, Trainer.LatestCheckpoint));
        Assert.Equal(3, loaded.Manifest.Step);
    }

    [Fact]
    public void Resuming_with_another_configuration_is_refused_and_changes_nothing()
    {
        var run = TempDirectory();
        using (var trainer = NewTrainer(Options(2), run)) trainer.Run();
        var corpus = Corpus();
        var tokenizer = Course.Data.CharTokenizer.FromText(corpus.Text);
        using var other = new Trainer(Config(tokenizer) with { NEmbd = 64 }, corpus, tokenizer, Options(4), torch.CPU);
        var error = Assert.Throws<InvalidDataException>(() => other.Resume(Path.Combine(run, Trainer.LatestCheckpoint)));
        Assert.Contains("Resume with the same preset", error.Message);
        Assert.Equal(0, other.Step);
    }

    [Fact]
    public void Steps_keep_the_live_tensor_count_flat()
    {
        using var trainer = NewTrainer(Options(205) with { EvalInterval = 1000 });
        var counts = new List<long>();
        trainer.StepCompleted += m => { if (m.Step is 5 or 205) counts.Add(DisposeScopeManager.Statistics.ThreadTotalLiveCount); };
        trainer.Run();
        Assert.Equal(counts[0], counts[1]);
    }

    [Fact]
    public void Gradient_accumulation_of_k_micro_batches_equals_one_batch_k_times_larger()
    {
        using var big = NewTrainer(Options(1) with { BatchSize = 8, GradientAccumulationSteps = 1 }, dropout: 0);
        using var accumulated = NewTrainer(Options(1) with { BatchSize = 4, GradientAccumulationSteps = 2 }, dropout: 0);
        var lossBig = 0.0; var lossAccumulated = 0.0;
        big.StepCompleted += m => lossBig = m.Loss;
        accumulated.StepCompleted += m => lossAccumulated = m.Loss;
        big.Run();
        accumulated.Run();
        Assert.Equal(lossBig, lossAccumulated, 5);
        var expected = big.Model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, parameter) in accumulated.Model.named_parameters())
            Assert.True(parameter.allclose(expected[name], rtol: 1e-4, atol: 1e-6), $"{name} differs after the update");
    }
}
