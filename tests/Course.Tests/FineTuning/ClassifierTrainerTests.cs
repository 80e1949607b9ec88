using System.Text.Json;
using Course.Data;
using Course.FineTuning;
using Course.FineTuning.Lora;
using Course.Models;
using Course.Tests.Data;
using Course.Training;
using static TorchSharp.torch;

namespace Course.Tests.FineTuning;

/// <summary>Fine-tuning is as robust as pretraining: exact resume, gradient accumulation and precision.</summary>
public class ClassifierTrainerTests
{
    private static readonly GptConfig Config = new(VocabSize: 4, BlockSize: 8, NLayer: 1, NHead: 2, NEmbd: 16);
    private static readonly SequenceEncoder Encoder = new(new CharTokenizer("ab x"), 8);
    private static readonly ClassificationTask Task = GptClassifierTests.ToyTask();

    private static FineTuneOptions Options(int steps, int batchSize = 8, int accumulation = 1, Precision precision = Precision.Fp32, bool freeze = false) => new()
    {
        FreezeBody = freeze,
        Training = new TrainingOptions
        {
            MaxSteps = steps, BatchSize = batchSize, GradientAccumulationSteps = accumulation, Precision = precision,
            LearningRate = 1e-2, MinLearningRate = 1e-3, WarmupSteps = 2, EvalInterval = 3, EvalBatches = 1,
        },
    };

    private static GptClassifier NewModel(GptConfig config, int seed)
    {
        manual_seed(seed);
        return new GptClassifier(new Gpt(config), Task.Labels.Count);
    }

    private static Dictionary<string, float[]> Weights(GptClassifier model) =>
        model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().to(ScalarType.Float32).data<float>().ToArray());

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_resumed_run_ends_with_the_weights_of_an_uninterrupted_one(bool lora)
    {
        // Dropout on: the global generator's state must be restored too, not only the batches' and AdamW's.
        var config = Config with { Dropout = 0.2 };
        var options = Options(7) with { Lora = lora ? new LoraConfig(2, 4, 0.1, ["attn", "mlp"]) : null };
        using var uninterrupted = NewModel(config, 7);
        Dictionary<string, float[]> expectedAdapters;
        using (var trainer = new ClassifierTrainer(uninterrupted, Encoder, Task, options, CPU))
        {
            trainer.Run();
            expectedAdapters = Adapters(trainer);
        }

        using var folder = new TempDirectory();
        var manifest = new ClassifierCheckpoint.Manifest(Task.Name, Task.Labels, config, Pooling.LastToken, null, 0);
        using (var first = NewModel(config, 7))
        using (var trainer = new ClassifierTrainer(first, Encoder, Task, options, CPU, folder.Path))
        {
            using var stop = new CancellationTokenSource();
            trainer.StepCompleted += m => { if (m.Step == 4) stop.Cancel(); };
            trainer.Run(stop.Token);
            Assert.Equal(4, trainer.Step);
            FineTuneCheckpoint.Save(folder.Path, trainer, manifest, randomBody: true, Encoder.Tokenizer);
            manual_seed(12345); // whatever happens to the global generator in between must not matter
        }
        using var point = FineTuneCheckpoint.Load(folder.Path)!;
        Assert.Equal((4, true), (point.Manifest.Step, point.Manifest.RandomBody));
        using var resumed = new GptClassifier(LanguageModel.Create(point.Manifest.Classifier.Config), Task.Labels.Count);
        Checkpoint.LoadWeights(resumed, point.ClassifierWeights);
        Assert.Equal(JsonSerializer.Serialize(options), JsonSerializer.Serialize(point.Manifest.Options)); // the options came back whole
        using (var trainer = new ClassifierTrainer(resumed, new SequenceEncoder(point.Tokenizer, 8), Task, point.Manifest.Options, CPU, folder.Path))
        {
            trainer.Resume(point);
            trainer.Run();
            Assert.Equal(7, trainer.Step);
            var actualAdapters = Adapters(trainer);
            Assert.Equal(lora ? 8 : 0, actualAdapters.Count); // A and B of c_attn, c_proj, c_fc and mlp.c_proj
            Assert.All(expectedAdapters, w => Assert.Equal(w.Value, actualAdapters[w.Key]));
        }
        var (expected, actual) = (Weights(uninterrupted), Weights(resumed));
        Assert.All(expected, w => Assert.Equal(w.Value, actual[w.Key]));
        // The metrics log holds each evaluation once: those after the checkpoint were dropped and run again.
        var evals = File.ReadLines(Path.Combine(folder.Path, "metrics.jsonl")).Where(l => l.Contains("\"eval\"")).Count();
        Assert.Equal(4, evals); // steps 0, 3, 6 and the last, 7
    }

    private static Dictionary<string, float[]> Adapters(ClassifierTrainer trainer) =>
        (trainer.Adapters?.NamedParameters ?? []).ToDictionary(p => p.Name, p => p.Parameter.detach().data<float>().ToArray());

    [Fact]
    public void A_damaged_checkpoint_is_refused_by_name()
    {
        using var folder = new TempDirectory();
        using var model = NewModel(Config, 1);
        using (var trainer = new ClassifierTrainer(model, Encoder, Task, Options(1), CPU, folder.Path))
        {
            trainer.Run();
            FineTuneCheckpoint.Save(folder.Path, trainer, new ClassifierCheckpoint.Manifest(Task.Name, Task.Labels, Config, Pooling.LastToken, null, 0), false, Encoder.Tokenizer);
        }
        var state = Path.Combine(folder.Path, FineTuneCheckpoint.Latest, FineTuneCheckpoint.StateFile);
        var bytes = File.ReadAllBytes(state);
        bytes[^1] ^= 0x01;
        File.WriteAllBytes(state, bytes);
        Assert.Contains("sha256", Assert.Throws<UserError>(() => FineTuneCheckpoint.Load(folder.Path)).Message);
        using var empty = new TempDirectory();
        Assert.Null(FineTuneCheckpoint.Load(empty.Path));
    }

    [Fact]
    public void Accumulated_micro_batches_make_the_step_of_one_large_batch()
    {
        using var whole = NewModel(Config, 3);
        using (var trainer = new ClassifierTrainer(whole, Encoder, Task, Options(3, batchSize: 8), CPU)) trainer.Run();
        using var accumulated = NewModel(Config, 3);
        using (var trainer = new ClassifierTrainer(accumulated, Encoder, Task, Options(3, batchSize: 4, accumulation: 2), CPU)) trainer.Run();
        var (expected, actual) = (Weights(whole), Weights(accumulated));
        // The same 8 examples a step, summed in another order: equal up to float rounding.
        Assert.All(expected, w => Assert.True(w.Value.Zip(actual[w.Key]).All(p => Math.Abs(p.First - p.Second) < 1e-5), w.Key));
        Assert.NotEqual(Weights(NewModel(Config, 3))["head.weight"], actual["head.weight"]); // and training did move them
    }

    [Fact]
    public void Bf16_trains_a_head_on_a_frozen_body_with_fp32_master_weights()
    {
        using var model = NewModel(Config, 4);
        var body = model.Body.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().to(ScalarType.BFloat16).clone());
        using var trainer = new ClassifierTrainer(model, Encoder, Task, Options(30, precision: Precision.Bf16, freeze: true), CPU);
        var losses = new List<double>();
        trainer.StepCompleted += m => losses.Add(m.Loss);
        trainer.Run();
        Assert.All(model.named_parameters(), p => Assert.Equal(ScalarType.BFloat16, p.parameter.dtype));
        Assert.All(trainer.Optimizer.MasterWeights(), w => Assert.Equal(ScalarType.Float32, w.Tensor.dtype));
        Assert.Equal(["head.bias", "head.weight"], trainer.Optimizer.MasterWeights().Select(w => w.Name).Order());
        Assert.All(model.Body.named_parameters(), p => Assert.True(p.parameter.eq(body[p.name]).all().item<bool>(), p.name));
        Assert.True(losses.TakeLast(5).Average() < losses.Take(5).Average(), string.Join(", ", losses));
    }
}
