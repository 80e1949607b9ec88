using System.Diagnostics;
using Course.Data;
using Course.Evaluation;
using Course.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Course.Training;

/// <summary>
/// The training loop: every EvalInterval steps estimate the losses (keeping the best checkpoint), then one
/// optimizer step of GradientAccumulationSteps micro-batches with warm-up + cosine learning rate, gradient
/// clipping and AdamW. One dispose scope per step keeps the live tensor count flat.
/// </summary>
/// <remarks>
/// With a run folder, metrics go to metrics.jsonl and checkpoints to checkpoints/latest (every
/// CheckpointInterval steps, at the end, and when cancelled) and checkpoints/best (each new best validation loss).
/// Resuming from a checkpoint restores the weights, AdamW state, step and random-number states, so on the CPU
/// training continues exactly as if it had never stopped. A loss or gradient norm that is not finite stops training
/// with a <see cref="DivergedException"/> before anything is saved, so the checkpoints keep the last good weights.
/// </remarks>
public sealed class Trainer : IDisposable, ITrainingLoop
{
    public const string LatestCheckpoint = "checkpoints/latest", BestCheckpoint = "checkpoints/best";

    private readonly ITokenBatches _data;
    private readonly bool _ownsData;
    private readonly ITokenizer? _tokenizer;
    private readonly (string Name, string Sha256)? _corpus;
    private readonly Device _device;
    private readonly string? _runDirectory;
    private readonly Generator _batchGenerator;
    private readonly string? _shardsDirectory;
    private readonly PrecisionScope _precision;
    private MetricsLog? _log;
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public LanguageModel Model { get; }
    public AdamW Optimizer { get; }
    public TrainingOptions Options { get; }
    public int Step { get; private set; }
    public double? BestValidationLoss { get; private set; }

    public event Action<StepMetrics>? StepCompleted;
    public event Action<EvalMetrics>? Evaluated;

    /// <summary>Trains on a corpus held in memory, encoded once and split 90/10 by <see cref="TokenSplit"/>.</summary>
    public Trainer(GptConfig config, CorpusText corpus, ITokenizer tokenizer, TrainingOptions options, Device device, string? runDirectory = null)
        : this(config, () => new TokenSplit(EncodeFor(config, corpus, tokenizer), config.BlockSize, device: device), ownsData: true,
            (corpus.Name, corpus.Sha256), tokenizer, options, device, runDirectory)
    {
    }

    /// <summary>Trains on token shards read by memory mapping (<see cref="ShardPreparer"/> writes them). The shards stay
    /// the caller's to dispose; checkpoints record the corpus named in their meta.json and carry their tokenizer.</summary>
    public Trainer(GptConfig config, ShardSplit shards, TrainingOptions options, Device device, string? runDirectory = null)
        : this(config, () => Checked(config, shards), ownsData: false, (shards.Manifest.Corpus, shards.Manifest.CorpusSha256), shards.Tokenizer,
            options, device, runDirectory)
    {
        _shardsDirectory = Path.GetFullPath(shards.Directory);
    }

    /// <summary>Trains on token ids alone (benchmarks, synthetic data). Without a corpus and tokenizer to record,
    /// it writes metrics but no checkpoints.</summary>
    public Trainer(GptConfig config, int[] tokens, TrainingOptions options, Device device, string? runDirectory = null)
        : this(config, () => new TokenSplit(tokens, config.BlockSize, device: device), ownsData: true, corpus: null, tokenizer: null, options, device, runDirectory)
    {
    }

    /// <summary>Fine-tunes: the model starts from <paramref name="initialWeights"/> (all of them, under the model's names) and
    /// trains on batches of any source, such as instruction examples whose prompt targets are ignore_index. The data stays
    /// the caller's to dispose; <paramref name="corpus"/> names the data and its SHA-256 for checkpoints.</summary>
    public Trainer(GptConfig config, ITokenBatches data, (string Name, string Sha256) corpus, ITokenizer tokenizer, IReadOnlyDictionary<string, Tensor> initialWeights,
        TrainingOptions options, Device device, string? runDirectory = null)
        : this(config, () => data, ownsData: false, corpus, tokenizer, options, device, runDirectory, initialWeights)
    {
    }

    private Trainer(GptConfig config, Func<ITokenBatches> data, bool ownsData, (string Name, string Sha256)? corpus, ITokenizer? tokenizer,
        TrainingOptions options, Device device, string? runDirectory, IReadOnlyDictionary<string, Tensor>? initialWeights = null)
    {
        Options = options.Validate();
        MemoryBudget.Require(config, options, device);
        (_device, _runDirectory, _corpus, _tokenizer, _ownsData) = (device, runDirectory, corpus, tokenizer, ownsData);
        _data = data(); // made after the options are checked, so a bad option never leaves tokens on a device
        manual_seed(options.Seed);
        Model = LanguageModel.Create(config);
        if (initialWeights is not null) Checkpoint.LoadWeights(Model, initialWeights);
        Model.to(device);
        _precision = options.Precision.Enter(Model);
        Optimizer = new AdamW(Model.named_parameters(), options.WeightDecay, options.Beta1, options.Beta2);
        _batchGenerator = new Generator((ulong)options.Seed);
        if (runDirectory is not null) _log = new MetricsLog(runDirectory);
    }

    private static int[] EncodeFor(GptConfig config, CorpusText corpus, ITokenizer tokenizer)
    {
        RequireVocabulary(config, tokenizer);
        return tokenizer.Encode(corpus.Text);
    }

    private static ShardSplit Checked(GptConfig config, ShardSplit shards)
    {
        RequireVocabulary(config, shards.Tokenizer);
        shards.RequireWindow(config.BlockSize);
        return shards;
    }

    private static void RequireVocabulary(GptConfig config, ITokenizer tokenizer)
    {
        if (config.VocabSize < tokenizer.VocabSize)
            throw new UserError($"VocabSize ({config.VocabSize}) is smaller than the tokenizer's vocabulary ({tokenizer.VocabSize}).");
    }

    /// <summary>Continues from a checkpoint written by a trainer of the same model configuration.</summary>
    public void Resume(string checkpointDirectory)
    {
        using var loaded = Checkpoint.Load(checkpointDirectory);
        Resume(loaded, checkpointDirectory);
    }

    /// <summary>Continues from a checkpoint already read and verified. metrics.jsonl loses what came after the
    /// checkpoint (the steps a killed run did not save), since those steps run again.</summary>
    public void Resume(Checkpoint.Loaded loaded, string checkpointDirectory)
    {
        if (_corpus is null) throw new InvalidOperationException("A trainer made from token ids alone has no corpus to check a checkpoint against.");
        var saved = loaded.Manifest;
        if (saved.Config != Model.Config)
            throw new UserError($"Checkpoint {checkpointDirectory} was trained with {saved.Config}, but this run uses {Model.Config}. Resume with the same preset, or start a new run folder.");
        if (saved.CorpusSha256 != _corpus.Value.Sha256)
            throw new UserError($"Checkpoint {checkpointDirectory} was trained on corpus '{saved.CorpusName}' (sha256 {saved.CorpusSha256[..12]}…), not on '{_corpus.Value.Name}'. Resume with the same corpus.");
        if (loaded.Tokenizer.Kind != _tokenizer!.Kind || loaded.Tokenizer.VocabSize != _tokenizer.VocabSize)
            throw new UserError($"Checkpoint {checkpointDirectory} was trained with tokenizer {loaded.Tokenizer.Kind} ({loaded.Tokenizer.VocabSize} tokens), " +
                $"but this run's data uses {_tokenizer.Kind} ({_tokenizer.VocabSize} tokens). Resume with the same tokenizer.");
        Optimizer.LoadState(loaded.Weights.Tensors, loaded.State.Tensors, saved.Step);
        RandomStates.Restore(loaded.State.Tensors, _batchGenerator);
        Step = saved.Step;
        BestValidationLoss = saved.BestValidationLoss;
        if (_runDirectory is not null && _log is not null)
        {
            _log.Dispose();
            MetricsLog.KeepUpTo(_runDirectory, Step);
            _log = new MetricsLog(_runDirectory);
        }
    }

    /// <summary>Trains up to Options.MaxSteps. When <paramref name="cancellation"/> fires, the step in progress
    /// finishes, the latest checkpoint is saved, and the method returns early.</summary>
    public void Run(CancellationToken cancellation = default)
    {
        _clock.Restart();
        Model.train();
        while (Step < Options.MaxSteps && !cancellation.IsCancellationRequested)
        {
            if (Step % Options.EvalInterval == 0) Evaluate();
            TrainOneStep();
            if (Step % Options.CheckpointInterval == 0 && Step < Options.MaxSteps) SaveCheckpoint(LatestCheckpoint);
        }
        if (Step == Options.MaxSteps) Evaluate();
        SaveCheckpoint(LatestCheckpoint);
    }

    /// <summary>Saves checkpoints/latest now (a new run saves step 0, so its folder always holds a checkpoint).</summary>
    public void SaveLatest() => SaveCheckpoint(LatestCheckpoint);

    /// <summary>One optimizer step (GradientAccumulationSteps micro-batches), logged and reported like those of <see cref="Run"/>.</summary>
    public StepMetrics TrainOneStep()
    {
        var started = _clock.Elapsed.TotalSeconds;
        var (loss, norm, lr) = TrainStep();
        if (!double.IsFinite(loss) || !double.IsFinite(norm))
            throw new DivergedException($"Training diverged at step {Step + 1}: the loss is {loss} and the gradient norm {norm} (learning rate {lr:G3}). " +
                "Nothing from this step was saved; the checkpoints keep the last good weights. Start a new run with a lower learning rate.");
        Step++;
        var tokensPerSecond = (double)Options.BatchSize * Options.GradientAccumulationSteps * Model.Config.BlockSize / Math.Max(1e-9, _clock.Elapsed.TotalSeconds - started);
        var mfu = Options.PeakTflops is double peak ? Throughput.Mfu(Model.Config, tokensPerSecond, peak) : (double?)null;
        var metrics = new StepMetrics(Step, loss, lr, norm, tokensPerSecond, mfu, _clock.Elapsed.TotalSeconds);
        _log?.Write(metrics);
        StepCompleted?.Invoke(metrics);
        return metrics;
    }

    /// <summary>Mean loss of each split over Options.EvalBatches batches drawn with a generator seeded by the step,
    /// so evaluating never changes the training batches.</summary>
    public (double Train, double Validation) EstimateLoss()
    {
        using var generator = new Generator((ulong)(Options.Seed + 1_000_003L * (Step + 1)));
        var train = Evaluator.MeanLoss(Model, _ => _data.Batch(false, Options.BatchSize, Model.Config.BlockSize, generator, _device), Options.EvalBatches);
        var validation = Evaluator.MeanLoss(Model, _ => _data.Batch(true, Options.BatchSize, Model.Config.BlockSize, generator, _device), Options.EvalBatches);
        return (train, validation);
    }

    public ITokenBatches Data => _data;

    /// <summary>Appends another kind of metrics (an entry with a kind and a step, e.g. a task's own evaluation) to the
    /// run's metrics.jsonl, through the trainer's own writer so that no two writers share the file.</summary>
    public void Log(object metrics) => _log?.Write(metrics);

    /// <summary>The generator that draws training batches (its state is checkpointed).</summary>
    public Generator BatchGenerator => _batchGenerator;

    private (double Loss, double GradNorm, double LearningRate) TrainStep()
    {
        using var scope = NewDisposeScope();
        var lr = Options.Schedule.At(Step);
        Optimizer.ZeroGrad();
        // All windows of the step are drawn at once and split into micro-batches, so k micro-batches of B see
        // exactly the windows of one batch of k·B. Each micro-batch's mean loss is weighed by its share of the step's
        // counted targets (those not ignore_index), so the gradients add up to the mean over all of them: 1/k each in
        // pretraining, where every target counts; by answer tokens in instruction tuning, where prompts are masked.
        var k = Options.GradientAccumulationSteps;
        var (xs, ys) = _data.Batch(false, Options.BatchSize * k, Model.Config.BlockSize, _batchGenerator, _device);
        var counted = (ys != LanguageModel.IgnoreIndex).sum().to(ScalarType.Float32);
        var total = zeros(1, device: _device);
        foreach (var (micro, (x, y)) in xs.chunk(k).Zip(ys.chunk(k)).Index())
        {
            var loss = Model.forward(x, y).Loss * ((y != LanguageModel.IgnoreIndex).sum() / counted);
            loss.backward();
            total.add_(loss.detach());
            if (micro < k - 1) Optimizer.AccumulateGradients(); // Update collects the last micro-batch itself
        }
        var norm = Optimizer.Update(lr, Options.GradClip);
        // One device-to-host copy per step for both numbers: each read of a GPU value waits for the GPU.
        var both = stack([total.squeeze(), norm]).cpu().data<float>().ToArray();
        return (both[0], both[1], lr);
    }

    private void Evaluate()
    {
        var elapsed = _clock.Elapsed.TotalSeconds;
        var (train, validation) = EstimateLoss();
        var best = BestValidationLoss is null || validation < BestValidationLoss;
        if (best) BestValidationLoss = validation;
        var metrics = new EvalMetrics(Step, train, validation, best, elapsed);
        _log?.Write(metrics);
        Evaluated?.Invoke(metrics);
        if (best && Step > 0) SaveCheckpoint(BestCheckpoint);
        Model.train();
    }

    private void SaveCheckpoint(string relative)
    {
        if (_runDirectory is null) return;
        if (_corpus is null || _tokenizer is null) return; // token-ids-only trainers (benchmarks) keep no checkpoints
        var manifest = new Checkpoint.Manifest(Checkpoint.FormatVersion, Step, BestValidationLoss, Model.Config, Options, _corpus.Value.Name, _corpus.Value.Sha256, [], _shardsDirectory);
        using var scope = NewDisposeScope(); // frees the captured states after the save
        var randomStates = RandomStates.Capture(_batchGenerator);
        Checkpoint.Save(Path.Combine(_runDirectory, relative), manifest, Optimizer, randomStates, _tokenizer);
    }

    public void Dispose()
    {
        _log?.Dispose();
        Optimizer.Dispose();
        Model.Dispose();
        if (_ownsData) _data.Dispose();
        _batchGenerator.Dispose();
        _precision.Dispose();
    }
}

/// <summary>Training stopped because the loss or the gradient norm stopped being a finite number.</summary>
public sealed class DivergedException(string message) : UserError(message);
