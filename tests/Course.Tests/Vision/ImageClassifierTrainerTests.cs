using Course.Training;
using Course.Vision;
using TorchSharp;
using static Course.Tests.Training.TrainingFixtures;

namespace Course.Tests.Vision;

public class ImageClassifierTrainerTests
{
    private static readonly ImageDataset Data = Digits.Load();

    private static TrainingOptions Options(int steps) => new()
    {
        MaxSteps = steps, BatchSize = 16, LearningRate = 1e-2, MinLearningRate = 1e-3, WarmupSteps = 2, EvalInterval = 5, EvalBatches = 2, Seed = 3,
    };

    private static (ImageClassifier Model, ImageClassifierTrainer Trainer) NewTrainer(TrainingOptions options, string? run = null, bool mlp = false)
    {
        torch.manual_seed(5);
        ImageClassifier model = mlp ? new Mlp(new MlpConfig(64, 32, 10)) : new ConvNet(ConvNetConfig.Small(1, 8, 1));
        return (model, new ImageClassifierTrainer(model, Data, options, torch.CPU, run));
    }

    [Fact]
    public void Training_lowers_the_loss_and_writes_metrics_and_checkpoints()
    {
        var run = TempDirectory();
        var (model, trainer) = NewTrainer(Options(40), run, mlp: true); // an MLP learns the digits in a few steps; a small CNN starts slower
        using var _ = model;
        using (trainer)
        {
            var evals = new List<ImageEvalMetrics>();
            trainer.Evaluated += evals.Add;
            trainer.Run();
            Assert.True(evals[^1].ValidationLoss < evals[0].ValidationLoss - 0.5, $"validation loss {evals[0].ValidationLoss} → {evals[^1].ValidationLoss}");
            Assert.True(evals[^1].ValidationAccuracy > 0.5, $"accuracy {evals[^1].ValidationAccuracy}");
            var scores = trainer.Score(Data.Test);
            Assert.Equal(360, scores.Total);
        }
        var lines = MetricsLog.Read(run).ToList();
        Assert.Equal(40, lines.Count(l => l.GetProperty("kind").GetString() == "step"));
        Assert.Equal(new[] { 0, 5, 10, 15, 20, 25, 30, 35, 40 }, lines.Where(l => l.GetProperty("kind").GetString() == "eval").Select(l => l.GetProperty("step").GetInt32()));
        var loaded = ImageCheckpoint.Load(Path.Combine(run, Trainer.LatestCheckpoint));
        using (loaded)
        {
            Assert.Equal(40, loaded.Manifest.Step);
            Assert.Equal("Mlp", loaded.Manifest.Model);
            Assert.Equal("""{"Inputs":64,"Hidden":32,"Classes":10}""", loaded.Manifest.Config.ToJsonString());
            Assert.Equal(new[] { "fc1.bias", "fc1.weight", "fc2.bias", "fc2.weight" }, loaded.Weights.Tensors.Keys.Order(StringComparer.Ordinal));
        }
        Assert.True(Directory.Exists(Path.Combine(run, Trainer.BestCheckpoint)));
    }

    [Fact]
    public void Resuming_continues_exactly_as_an_uninterrupted_run()
    {
        var straight = new List<double>();
        var (m1, t1) = NewTrainer(Options(10));
        using (m1) using (t1)
        {
            t1.StepCompleted += s => straight.Add(s.Loss);
            t1.Run();
        }
        var run = TempDirectory();
        var resumed = new List<double>();
        var (m2, first) = NewTrainer(Options(10) with { MaxSteps = 4, DecaySteps = 10 }, run);
        using (m2) using (first)
        {
            first.StepCompleted += s => resumed.Add(s.Loss);
            first.Run();
        }
        var (m3, second) = NewTrainer(Options(10), run);
        using (m3) using (second)
        {
            second.Resume(Path.Combine(run, Trainer.LatestCheckpoint));
            second.StepCompleted += s => resumed.Add(s.Loss);
            second.Run();
        }
        Assert.Equal(straight, resumed);
    }

    [Fact]
    public void Resuming_another_network_or_a_damaged_checkpoint_is_refused()
    {
        var run = TempDirectory();
        var (model, trainer) = NewTrainer(Options(2), run);
        using (model) using (trainer) trainer.Run();
        var latest = Path.Combine(run, Trainer.LatestCheckpoint);

        using var wider = new ConvNet(ConvNetConfig.Seed(1, 8, 1));
        using var other = new ImageClassifierTrainer(wider, Data, Options(2), torch.CPU);
        var e = Assert.Throws<UserError>(() => other.Resume(latest));
        Assert.Contains("Resume with the same preset, data set and padding", e.Message);

        var weights = Path.Combine(latest, Checkpoint.ModelFile);
        var bytes = File.ReadAllBytes(weights);
        bytes[^1] ^= 0xFF;
        File.WriteAllBytes(weights, bytes);
        var (m2, again) = NewTrainer(Options(2));
        using (m2) using (again)
            Assert.Contains("does not match its recorded sha256", Assert.Throws<UserError>(() => again.Resume(latest)).Message);
    }
}
