using Course.Data;
using static TorchSharp.torch;

namespace Course.FineTuning.Instructions;

/// <summary>
/// Instruction examples as the <see cref="Training.Trainer"/> draws its batches: random examples of the training or
/// validation split, each as inputs and masked targets (<see cref="ChatTemplate.InputsAndTargets"/>), right-padded to
/// the longest example of the batch. The trainer's checkpointed generator picks them, so a resumed run draws the
/// batches an uninterrupted one would have.
/// </summary>
public sealed class InstructionBatches : ITokenBatches
{
    private readonly ChatTemplate _template;

    public InstructionBatches(ChatTemplate template, IReadOnlyList<EncodedInstruction> train, IReadOnlyList<EncodedInstruction> validation)
    {
        if (train.Count == 0 || validation.Count == 0)
            throw new ArgumentException($"Both splits need examples (train {train.Count}, validation {validation.Count}).");
        (_template, Train, Validation) = (template, train, validation);
    }

    public IReadOnlyList<EncodedInstruction> Train { get; }
    public IReadOnlyList<EncodedInstruction> Validation { get; }

    public long TrainTokens => Train.Sum(e => (long)e.Tokens.Length);
    public long ValidationTokens => Validation.Sum(e => (long)e.Tokens.Length);
    public int FirstValidationToken => _template.User;

    /// <summary><paramref name="batchSize"/> examples drawn with replacement; (x, y) are (B, T) with T the longest
    /// example's input length, at most <paramref name="blockSize"/>.</summary>
    public (Tensor X, Tensor Y) Batch(bool validation, int batchSize, int blockSize, Generator generator, Device device)
    {
        var split = validation ? Validation : Train;
        using var picks = randint(split.Count, [batchSize], generator: generator);
        return Tensors(picks.data<long>().Select(i => split[(int)i]).ToList(), device);
    }

    /// <summary>Inputs and masked targets of <paramref name="examples"/> in order, right-padded to the longest.</summary>
    public (Tensor X, Tensor Y) Tensors(IReadOnlyList<EncodedInstruction> examples, Device device)
    {
        var length = examples.Max(e => e.Tokens.Length - 1);
        var x = new long[examples.Count * length];
        var y = new long[examples.Count * length];
        for (int i = 0; i < examples.Count; i++)
        {
            var (inputs, targets) = _template.InputsAndTargets(examples[i], length);
            inputs.CopyTo(x, i * length);
            targets.CopyTo(y, i * length);
        }
        return (tensor(x, [examples.Count, length], device: device), tensor(y, [examples.Count, length], device: device));
    }

    public void Dispose() { }
}
