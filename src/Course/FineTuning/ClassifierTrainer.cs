using System.Diagnostics;
using Course.Evaluation;
using Course.FineTuning.Lora;
using Course.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Course.FineTuning;

/// <summary>An evaluation during fine-tuning, on fixed subsets of the train and validation splits (see
/// <see cref="ClassifierTrainer"/>); logged with kind "eval" and the loss names of pretraining, so run comparisons read both.</summary>
public sealed record ClassifierEvalMetrics(int Step, double TrainLoss, double ValidationLoss, double ValidationAccuracy, double ValidationMacroF1, bool Best, double ElapsedSeconds)
{
    public string Kind => "eval";
}

/// <summary>
/// Fine-tunes a <see cref="GptClassifier"/>: batches drawn at random from the training split, (optionally class-weighted)
/// cross-entropy, the warm-up + cosine schedule, gradient clipping and AdamW of pretraining. Every EvalInterval steps it
/// measures loss and accuracy on the first EvalBatches × BatchSize examples of each split (fixed, so the numbers are
/// comparable across steps; the full splits are for the final evaluation).
/// </summary>
/// <remarks>With a frozen body only the head's parameters go to AdamW, and the body stays in eval mode (no dropout):
/// it is a fixed feature extractor. With LoRA the body's weights are frozen too, but its adapters and the head train,
/// and the body trains in train mode (its dropout and the adapters' dropout on), as PEFT's does. The trainer owns the
/// adapters: disposing it removes them from the body. The model kept is the one after the last step. Precision and
/// gradient accumulation work as in pretraining (<see cref="Trainer"/>), and <see cref="StateTensors"/> with
/// <see cref="Resume"/> continue a run exactly (<see cref="FineTuneCheckpoint"/>).</remarks>
public sealed class ClassifierTrainer : IDisposable
{
    private readonly ClassificationTask _task;
    private readonly SequenceEncoder _encoder;
    private readonly Device _device;
    private readonly int[][] _train;
    private readonly Tensor? _classWeights;
    private readonly Generator _batches;
    private readonly string? _runDirectory;
    private readonly PrecisionScope _precision;
    private MetricsLog? _log;
    private readonly Stopwatch _clock = new();

    public GptClassifier Model { get; }
    public FineTuneOptions Options { get; }
    public AdamW Optimizer { get; }
    /// <summary>The body's LoRA adapters when <see cref="FineTuneOptions.Lora"/> is set, else null.</summary>
    public LoraAdapters? Adapters { get; }
    public int Step { get; private set; }

    /// <summary>The numbers the optimizer updates, and all numbers (body, head and adapters), as PEFT's
    /// print_trainable_parameters counts them.</summary>
    public (long Trainable, long Total) ParameterCounts =>
        (Model.parameters().Where(p => p.requires_grad).Sum(p => p.numel()) + (Adapters?.TrainableCount ?? 0),
         Model.parameters().Sum(p => p.numel()) + (Adapters?.TrainableCount ?? 0));
    public double? BestValidationAccuracy { get; private set; }
    public int[] TrainClassCounts { get; }

    public event Action<StepMetrics>? StepCompleted;
    public event Action<ClassifierEvalMetrics>? Evaluated;

    /// <summary>Takes over <paramref name="model"/> (moved to <paramref name="device"/>); metrics go to the run folder's metrics.jsonl when one is given.</summary>
    public ClassifierTrainer(GptClassifier model, SequenceEncoder encoder, ClassificationTask task, FineTuneOptions options, Device device, string? runDirectory = null)
    {
        Options = options.Validate();
        if (model.Classes != task.Labels.Count)
            throw new ArgumentException($"The classifier has {model.Classes} outputs but task '{task.Name}' has {task.Labels.Count} classes.");
        (Model, _encoder, _task, _device) = (model, encoder, task, device);
        Model.to(device);
        Model.FreezeBody(options.FreezeBody);
        _precision = options.Training.Precision.Enter(Model);
        if (options.Lora is not null) Adapters = LoraAdapters.Apply(Model.Body, options.Lora); // after the cast: adapters take their layer's dtype
        Optimizer = new AdamW(Model.named_parameters().Concat(Adapters?.NamedParameters ?? []), options.Training.WeightDecay, options.Training.Beta1, options.Training.Beta2);
        _train = task.Train.Select(e => encoder.Encode(e.Text)).ToArray();
        TrainClassCounts = ClassificationTask.ClassCounts(task.Train, task.Labels.Count);
        if (options.WeightsFor(TrainClassCounts) is { } weights) _classWeights = tensor(weights.Select(w => (float)w).ToArray(), device: device);
        _batches = new Generator((ulong)options.Training.Seed);
        _runDirectory = runDirectory;
        if (runDirectory is not null) _log = new MetricsLog(runDirectory);
    }

    /// <summary>What a checkpoint keeps besides the weights: AdamW's m and v, and the states of the batch generator
    /// and of the global generator (dropout).</summary>
    public IEnumerable<(string Name, Tensor Tensor)> StateTensors() =>
        Optimizer.StateTensors().Concat(RandomStates.Capture(_batches));

    /// <summary>Continues from a checkpoint of a run with the same classifier and options: the weights, AdamW's state,
    /// the random-number states and the step. metrics.jsonl loses what came after the checkpoint, since those steps run
    /// again.</summary>
    public void Resume(FineTuneCheckpoint.Loaded loaded)
    {
        var saved = loaded.Manifest;
        if (saved.Classifier.Task != _task.Name || saved.Classifier.Labels.Count != Model.Classes)
            throw new UserError($"The checkpoint fine-tuned task '{saved.Classifier.Task}' with {saved.Classifier.Labels.Count} classes; this run has '{_task.Name}' with {Model.Classes}.");
        Optimizer.LoadState(loaded.Weights.Tensors, loaded.State.Tensors, saved.Step);
        RandomStates.Restore(loaded.State.Tensors, _batches);
        Step = saved.Step;
        BestValidationAccuracy = saved.BestValidationAccuracy;
        if (_runDirectory is null) return;
        _log?.Dispose();
        MetricsLog.KeepUpTo(_runDirectory, Step);
        _log = new MetricsLog(_runDirectory);
    }

    public void Run(CancellationToken cancellation = default)
    {
        _clock.Restart();
        var training = Options.Training;
        while (Step < training.MaxSteps && !cancellation.IsCancellationRequested)
        {
            if (Step % training.EvalInterval == 0) Evaluate();
            TrainOneStep();
        }
        if (Step == training.MaxSteps) Evaluate();
    }

    public StepMetrics TrainOneStep()
    {
        var started = _clock.Elapsed.TotalSeconds;
        var training = Options.Training;
        var lr = training.Schedule.At(Step);
        float loss, norm;
        SetTrainMode();
        using (var scope = NewDisposeScope())
        {
            Optimizer.ZeroGrad();
            // As in pretraining, the examples of a step are drawn at once and split into k micro-batches, each loss
            // divided by k, so the gradients add up to the mean over the step. (With class weights each micro-batch's
            // loss is normalised by its own weight sum, so accumulation then matches one large batch only closely.)
            var k = training.GradientAccumulationSteps;
            var picks = randint(_train.Length, [training.BatchSize * k], generator: _batches).data<long>().ToArray();
            var total = zeros(1, device: _device);
            foreach (var (micro, chunk) in picks.Chunk(training.BatchSize).Index())
            {
                var (ids, lengths) = SequenceEncoder.Batch(chunk.Select(i => _train[i]).ToArray(), _device);
                var labels = tensor(chunk.Select(i => (long)_task.Train[(int)i].Label).ToArray(), device: _device);
                var logits = Model.call(ids, lengths).to(ScalarType.Float32);
                var microLoss = nn.functional.cross_entropy(logits, labels, weight: _classWeights) / k;
                microLoss.backward();
                total.add_(microLoss.detach());
                if (micro < k - 1) Optimizer.AccumulateGradients(); // Update collects the last micro-batch itself
            }
            var gradNorm = Optimizer.Update(lr, training.GradClip);
            var both = stack([total.squeeze(), gradNorm]).cpu().data<float>().ToArray();
            (loss, norm) = (both[0], both[1]);
        }
        Step++;
        var examplesPerSecond = training.BatchSize * training.GradientAccumulationSteps / Math.Max(1e-9, _clock.Elapsed.TotalSeconds - started);
        // Reported as tokens per second with the block size as an upper bound of the tokens per example.
        var metrics = new StepMetrics(Step, loss, lr, norm, examplesPerSecond * _encoder.BlockSize, null, _clock.Elapsed.TotalSeconds);
        _log?.Write(metrics);
        StepCompleted?.Invoke(metrics);
        return metrics;
    }

    /// <summary>Mean unweighted cross-entropy and the predicted class of each example, in eval mode without gradients.</summary>
    public static (double Loss, int[] Predictions) Predict(GptClassifier model, SequenceEncoder encoder, IReadOnlyList<LabeledText> examples, Device device, int batchSize = 256)
    {
        if (examples.Count == 0) throw new UserError("There are no examples to evaluate: the split is empty.");
        model.eval();
        using var noGrad = no_grad();
        var predictions = new int[examples.Count];
        double lossSum = 0;
        for (int start = 0; start < examples.Count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var chunk = examples.Skip(start).Take(batchSize).ToArray();
            var (ids, lengths) = SequenceEncoder.Batch(chunk.Select(e => encoder.Encode(e.Text)).ToArray(), device);
            var logits = model.call(ids, lengths).to(ScalarType.Float32);
            var labels = tensor(chunk.Select(e => (long)e.Label).ToArray(), device: device);
            lossSum += nn.functional.cross_entropy(logits, labels, reduction: nn.Reduction.Sum).item<float>();
            var predicted = logits.argmax(1).cpu().data<long>().ToArray();
            for (int i = 0; i < chunk.Length; i++) predictions[start + i] = (int)predicted[i];
        }
        return (lossSum / examples.Count, predictions);
    }

    /// <summary>Scores the model on a whole split.</summary>
    public ClassificationMetrics Score(IReadOnlyList<LabeledText> split)
    {
        var (_, predictions) = Predict(Model, _encoder, split, _device);
        return new ClassificationMetrics(split.Select(e => e.Label).ToArray(), predictions, _task.Labels);
    }

    private void Evaluate()
    {
        var elapsed = _clock.Elapsed.TotalSeconds;
        var size = Options.Training.EvalBatches * Options.Training.BatchSize;
        var train = _task.Train.Take(size).ToArray();
        var validation = _task.Validation.Take(size).ToArray();
        var (trainLoss, _) = Predict(Model, _encoder, train, _device);
        var (validationLoss, predictions) = Predict(Model, _encoder, validation, _device);
        var scores = new ClassificationMetrics(validation.Select(e => e.Label).ToArray(), predictions, _task.Labels);
        var best = BestValidationAccuracy is null || scores.Accuracy > BestValidationAccuracy;
        if (best) BestValidationAccuracy = scores.Accuracy;
        var metrics = new ClassifierEvalMetrics(Step, trainLoss, validationLoss, scores.Accuracy, scores.MacroF1, best, elapsed);
        _log?.Write(metrics);
        Evaluated?.Invoke(metrics);
    }

    private void SetTrainMode()
    {
        Model.train();
        if (Options.FreezeBody) Model.Body.eval();
    }

    public void Dispose()
    {
        _log?.Dispose();
        Optimizer.Dispose();
        Adapters?.Dispose();
        _classWeights?.Dispose();
        _batches.Dispose();
        _precision.Dispose();
    }
}
