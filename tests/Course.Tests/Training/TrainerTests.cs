using Course.Data;
using Course.Tests.Data;
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
        var error = Assert.Throws<UserError>(() => other.Resume(Path.Combine(run, Trainer.LatestCheckpoint)));
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

    [Fact]
    public void Training_on_shards_matches_training_on_the_same_tokens_in_memory()
    {
        var corpus = Corpus();
        var tokenizer = CharTokenizer.FromText(corpus.Text);
        var tokens = tokenizer.Encode(corpus.Text);
        var cut = (int)(tokens.Length * TokenSplit.DefaultTrainFraction);
        using var dir = new TempDirectory();
        ShardFixtures.Write(dir.Path, tokenizer, tokens[..cut], tokens[cut..], corpus);
        using var shards = ShardSplit.Open(dir.Path);

        using var fromShards = new Trainer(Config(tokenizer), shards, Options(6), torch.CPU);
        using var inMemory = new Trainer(Config(tokenizer), corpus, tokenizer, Options(6), torch.CPU);

        var (expectedSteps, expectedEvaluations) = Losses(inMemory);
        var (steps, evaluations) = Losses(fromShards);
        Assert.Equal(expectedSteps, steps);
        Assert.Equal(expectedEvaluations, evaluations);
    }

    [Fact]
    public void A_run_on_shards_records_the_corpus_of_meta_json_and_resumes_exactly()
    {
        var corpus = Corpus();
        var tokenizer = CharTokenizer.FromText(corpus.Text);
        using var dir = new TempDirectory();
        ShardPreparer.Prepare(corpus, "char", dir.Path);
        using var shards = ShardSplit.Open(dir.Path);
        List<double> straight;
        using (var trainer = new Trainer(Config(tokenizer), shards, Options(8), torch.CPU)) straight = Losses(trainer).Steps;

        var run = TempDirectory();
        List<double> resumed;
        using (var first = new Trainer(Config(tokenizer), shards, Options(8) with { MaxSteps = 4, DecaySteps = 8 }, torch.CPU, run)) resumed = Losses(first).Steps;
        using (var second = new Trainer(Config(tokenizer), shards, Options(8), torch.CPU, run))
        {
            second.Resume(Path.Combine(run, Trainer.LatestCheckpoint));
            resumed.AddRange(Losses(second).Steps);
        }

        Assert.Equal(straight, resumed);
        using var saved = Checkpoint.Load(Path.Combine(run, Trainer.LatestCheckpoint));
        Assert.Equal((corpus.Name, corpus.Sha256), (saved.Manifest.CorpusName, saved.Manifest.CorpusSha256));
        Assert.Equal(tokenizer.Encode(corpus.Text), saved.Tokenizer.Encode(corpus.Text));
    }

    [Fact]
    public void Resuming_with_another_tokenizer_is_refused()
    {
        var run = TempDirectory();
        var corpus = Corpus();
        var config = GptConfigWithRoomFor(300);
        var characters = CharTokenizer.FromText(corpus.Text);
        using (var trainer = new Trainer(config, corpus, characters, Options(2), torch.CPU, run)) trainer.Run();
        using var other = new Trainer(config, corpus, Tokenizers.FromSpec("bpe:300", corpus.Text), Options(4), torch.CPU);

        var error = Assert.Throws<UserError>(() => other.Resume(Path.Combine(run, Trainer.LatestCheckpoint)));
        Assert.Contains("was trained with tokenizer char", error.Message);
        Assert.Contains("Resume with the same tokenizer", error.Message);
    }

    private static Course.Models.GptConfig GptConfigWithRoomFor(int vocabSize) => Course.Preset.Named("tiny").Model with { VocabSize = vocabSize };

    /// <summary>Runs the trainer to its last step: the loss of every step, and of every evaluation (train, validation).</summary>
    private static (List<double> Steps, List<double> Evaluations) Losses(Trainer trainer)
    {
        var steps = new List<double>();
        var evaluations = new List<double>();
        trainer.StepCompleted += m => steps.Add(m.Loss);
        trainer.Evaluated += e => evaluations.AddRange([e.TrainLoss, e.ValidationLoss]);
        trainer.Run();
        return (steps, evaluations);
    }
}
