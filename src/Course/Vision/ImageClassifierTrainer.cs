using System.Diagnostics;
using Course.Evaluation;
using Course.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Course.Vision;

/// <summary>An evaluation of an image classifier: mean cross-entropy on fixed subsets of the training and validation
/// splits, and the validation accuracy. Logged with kind "eval" and pretraining's loss names, so `course runs` reads it.</summary>
public sealed record ImageEvalMetrics(int Step, double TrainLoss, double ValidationLoss, double ValidationAccuracy, bool Best, double ElapsedSeconds)
{
    public string Kind => "eval";
}

/// <summary>
/// Trains an <see cref="ImageClassifier"/> with pretraining's recipe and bookkeeping: batches drawn at random from
/// the training split by a checkpointed generator, cross-entropy, the warm-up + cosine schedule, gradient clipping,
/// AdamW; an evaluation every EvalInterval steps on the first EvalBatches × BatchSize images of each split.
/// </summary>
/// <remarks>
/// With a run folder it writes what <see cref="Trainer"/> writes: metrics.jsonl (steps as <see cref="StepMetrics"/>,
/// whose throughput counts images per second, and <see cref="ImageEvalMetrics"/>), checkpoints/best at each new best
/// validation loss and checkpoints/latest at the end or when cancelled. <see cref="Resume"/> restores weights, AdamW
/// state, step and random-number states, so on the CPU a resumed run continues exactly as if it had never stopped.
/// The images live on the device as bytes; each batch becomes float intensities there.
/// </remarks>
public sealed class ImageClassifierTrainer : ITrainingLoop, IDisposable
{
    private readonly ImageDataset _data;
    private readonly Device _device;
    private readonly string? _runDirectory;
    private readonly Tensor _trainImages, _trainLabels;
    private readonly Generator _batchGenerator;
    private readonly MetricsLog? _log;
    private readonly Stopwatch _clock = new();

    public ImageClassifier Model { get; }
    public AdamW Optimizer { get; }
    public TrainingOptions Options { get; }
    public int Step { get; private set; }
    public double? BestValidationLoss { get; private set; }

    /// <summary>The validation accuracy of the latest evaluation.</summary>
    public double? ValidationAccuracy { get; private set; }

    public event Action<StepMetrics>? StepCompleted;
    public event Action<ImageEvalMetrics>? Evaluated;

    /// <summary>Trains <paramref name="model"/>, moved to <paramref name="device"/>; it stays the caller's to dispose. Seed
    /// torch before making the model, so that its initial weights are reproducible.</summary>
    public ImageClassifierTrainer(ImageClassifier model, ImageDataset data, TrainingOptions options, Device device, string? runDirectory = null)
    {
        Options = options.Validate();
        (Model, _data, _device, _runDirectory) = (model, data, device, runDirectory);
        using (var noGrad = no_grad())
        {
            using var probe = zeros(1, data.Channels, data.ImageSize, data.ImageSize);
            var logits = model.call(probe);
            if (logits.shape is not [1, var classes] || classes != data.ClassNames.Count)
                throw new ArgumentException($"The model maps a {data.Name} image to shape [{string.Join(", ", logits.shape)}], not to {data.ClassNames.Count} class logits.");
            logits.Dispose();
        }
        Model.to(device);
        Optimizer = new AdamW(Model.named_parameters(), options.WeightDecay, options.Beta1, options.Beta2);
        _trainImages = tensor(data.Train.Pixels, [data.Train.Count, data.Channels, data.ImageSize, data.ImageSize], device: device);
        _trainLabels = data.Train.LabelTensor(device);
        _batchGenerator = new Generator((ulong)options.Seed);
        if (runDirectory is not null) _log = new MetricsLog(runDirectory);
    }

    /// <summary>Continues from a checkpoint of the same network and data set.</summary>
    public void Resume(string checkpointDirectory)
    {
        using var loaded = ImageCheckpoint.Load(checkpointDirectory);
        var saved = loaded.Manifest;
        var config = ImageCheckpoint.ConfigOf(Model);
        if (saved.Model != Model.GetType().Name || saved.Config.ToJsonString() != config.ToJsonString())
            throw new UserError($"Checkpoint {checkpointDirectory} holds a {saved.Model} {saved.Config.ToJsonString()}, but this run builds a {Model.GetType().Name} {config.ToJsonString()}. " +
                "Resume with the same preset, data set and padding, or start a new run folder.");
        if (saved.DatasetSha256 != _data.Sha256)
            throw new UserError($"Checkpoint {checkpointDirectory} was trained on '{saved.Dataset}' (sha256 {saved.DatasetSha256[..12]}…), not on '{_data.Name}' (sha256 {_data.Sha256[..12]}…). Resume with the same data set.");
        Optimizer.LoadState(loaded.Weights.Tensors, loaded.State.Tensors, saved.Step);
        RandomStates.Restore(loaded.State.Tensors, _batchGenerator);
        Step = saved.Step;
        BestValidationLoss = saved.BestValidationLoss;
    }

    public void Run(CancellationToken cancellation = default)
    {
        _clock.Restart();
        while (Step < Options.MaxSteps && !cancellation.IsCancellationRequested)
        {
            if (Step % Options.EvalInterval == 0) Evaluate();
            TrainOneStep();
        }
        if (Step == Options.MaxSteps) Evaluate();
        SaveCheckpoint(Trainer.LatestCheckpoint);
    }

    /// <summary>One optimizer step of GradientAccumulationSteps micro-batches, logged and reported like those of <see cref="Run"/>.</summary>
    public StepMetrics TrainOneStep()
    {
        if (!_clock.IsRunning) _clock.Start();
        var started = _clock.Elapsed.TotalSeconds;
        var lr = Options.Schedule.At(Step);
        var k = Options.GradientAccumulationSteps;
        float loss, norm;
        Model.train();
        using (var scope = NewDisposeScope())
        {
            Optimizer.ZeroGrad();
            // As in pretraining: one draw of k·B images split into k micro-batches, each loss divided by k.
            var picks = randint(_data.Train.Count, [Options.BatchSize * k], generator: _batchGenerator).to(_device);
            var images = _trainImages.index_select(0, picks).to(ScalarType.Float32).div_(_data.Train.MaxValue);
            var labels = _trainLabels.index_select(0, picks);
            var total = zeros(1, device: _device);
            foreach (var (micro, (x, y)) in images.chunk(k).Zip(labels.chunk(k)).Index())
            {
                var microLoss = nn.functional.cross_entropy(Model.call(x), y) / k;
                microLoss.backward();
                total.add_(microLoss.detach());
                if (micro < k - 1) Optimizer.AccumulateGradients();
            }
            var gradNorm = Optimizer.Update(lr, Options.GradClip);
            var both = stack([total.squeeze(), gradNorm]).cpu().data<float>().ToArray();
            (loss, norm) = (both[0], both[1]);
        }
        Step++;
        var imagesPerSecond = (double)Options.BatchSize * k / Math.Max(1e-9, _clock.Elapsed.TotalSeconds - started);
        var metrics = new StepMetrics(Step, loss, lr, norm, imagesPerSecond, null, _clock.Elapsed.TotalSeconds);
        _log?.Write(metrics);
        StepCompleted?.Invoke(metrics);
        return metrics;
    }

    /// <summary>Mean cross-entropy over <paramref name="images"/>, and the predicted class of each with the
    /// probability the model gives it; in eval mode, without gradients.</summary>
    public (double Loss, int[] Predictions, float[] Probabilities) Predict(ImageSet images, int batchSize = 500)
    {
        var predictions = new List<int>();
        var probabilities = new List<float>();
        double lossSum = 0;
        Model.eval();
        using var noGrad = no_grad();
        for (int start = 0; start < images.Count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var chunk = images.Take(Enumerable.Range(start, Math.Min(batchSize, images.Count - start)).ToArray());
            var logits = Model.call(chunk.ToTensor(_device));
            lossSum += nn.functional.cross_entropy(logits, chunk.LabelTensor(_device), reduction: nn.Reduction.Sum).item<float>();
            var (probability, predicted) = nn.functional.softmax(logits, 1).max(1);
            predictions.AddRange(predicted.cpu().data<long>().Select(i => (int)i));
            probabilities.AddRange(probability.cpu().data<float>());
        }
        return (lossSum / Math.Max(1, images.Count), predictions.ToArray(), probabilities.ToArray());
    }

    /// <summary>Accuracy, per-class scores and the confusion matrix on a whole split.</summary>
    public ClassificationMetrics Score(ImageSet images) => new(images.Labels, Predict(images).Predictions, _data.ClassNames);

    private void Evaluate()
    {
        var elapsed = _clock.Elapsed.TotalSeconds;
        var size = Options.EvalBatches * Options.BatchSize;
        ImageSet First(ImageSet split) => split.Take(Enumerable.Range(0, Math.Min(size, split.Count)).ToArray());
        var (trainLoss, _, _) = Predict(First(_data.Train));
        var validation = First(_data.Validation);
        var (validationLoss, predictions, _) = Predict(validation);
        ValidationAccuracy = predictions.Zip(validation.Labels).Count(p => p.First == p.Second) / (double)Math.Max(1, validation.Count);
        var best = BestValidationLoss is null || validationLoss < BestValidationLoss;
        if (best) BestValidationLoss = validationLoss;
        var metrics = new ImageEvalMetrics(Step, trainLoss, validationLoss, ValidationAccuracy.Value, best, elapsed);
        _log?.Write(metrics);
        Evaluated?.Invoke(metrics);
        if (best && Step > 0) SaveCheckpoint(Trainer.BestCheckpoint);
    }

    private void SaveCheckpoint(string relative)
    {
        if (_runDirectory is null) return;
        var manifest = new ImageCheckpoint.Manifest(ImageCheckpoint.FormatVersion, Step, BestValidationLoss, Model.GetType().Name, ImageCheckpoint.ConfigOf(Model),
            Options, _data.Name, _data.Sha256, []);
        using var scope = NewDisposeScope(); // frees the captured states after the save
        var randomStates = RandomStates.Capture(_batchGenerator);
        ImageCheckpoint.Save(Path.Combine(_runDirectory, relative), manifest, Optimizer, randomStates);
    }

    public void Dispose()
    {
        _log?.Dispose();
        Optimizer.Dispose();
        _trainImages.Dispose();
        _trainLabels.Dispose();
        _batchGenerator.Dispose();
    }
}
