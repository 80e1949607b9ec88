using static TorchSharp.torch;

namespace Course.Data;

/// <summary>
/// A token stream held in memory, split once into training and validation parts (the first 90% trains, the rest
/// validates, as nanoGPT does), from which random windows of block size T are drawn.
/// </summary>
public sealed class TokenSplit : ITokenBatches
{
    public const double DefaultTrainFraction = 0.9;

    public Tensor Train { get; }
    public Tensor Validation { get; }

    /// <param name="device">Where the tokens are kept: on a GPU, batches are gathered there without copies from the host.</param>
    public TokenSplit(int[] tokens, int blockSize, double trainFraction = DefaultTrainFraction, Device? device = null)
        : this(tokens[..TrainLength(tokens.Length, trainFraction)], tokens[TrainLength(tokens.Length, trainFraction)..], blockSize, device)
    {
    }

    /// <summary>A split whose parts are already separate, e.g. read back from token shards.</summary>
    public TokenSplit(int[] train, int[] validation, int blockSize, Device? device = null)
    {
        // Each part must hold at least one window of T + 1 tokens (inputs plus the shifted target).
        var shortest = Math.Min(train.Length, validation.Length);
        if (shortest < blockSize + 1)
            throw new UserError(
                $"The corpus has {train.Length + validation.Length} tokens; its {(train.Length <= validation.Length ? "training" : "validation")} part " +
                $"({shortest} tokens) is shorter than one context window of {blockSize + 1} tokens. " +
                $"Use a longer corpus (at least {(int)Math.Ceiling((blockSize + 1) * (train.Length + validation.Length) / (double)Math.Max(1, shortest))} tokens) or a smaller block size.");
        Train = tensor(train.Select(t => (long)t).ToArray(), device: device ?? CPU);
        Validation = tensor(validation.Select(t => (long)t).ToArray(), device: device ?? CPU);
    }

    public long TrainTokens => Train.size(0);
    public long ValidationTokens => Validation.size(0);
    public int FirstValidationToken => (int)Validation[0].item<long>();

    public (Tensor X, Tensor Y) Batch(bool validation, int batchSize, int blockSize, Generator generator, Device device)
    {
        var data = validation ? Validation : Train;
        using var scope = NewDisposeScope();
        var starts = WindowStarts(data.size(0), batchSize, blockSize, generator).to(data.device);
        var windows = data[starts + arange(blockSize + 1, device: data.device)];
        var x = windows[.., ..^1].to(device);
        var y = windows[.., 1..].to(device);
        return (x.MoveToOuterDisposeScope(), y.MoveToOuterDisposeScope());
    }

    /// <summary>The starts of <paramref name="batchSize"/> windows of T + 1 tokens in a part of <paramref name="length"/>
    /// tokens, as a (B, 1) tensor on the CPU: the generator lives there (its state goes into checkpoints), and only the
    /// offsets travel to the data.</summary>
    internal static Tensor WindowStarts(long length, int batchSize, int blockSize, Generator generator) =>
        randint(length - blockSize, [batchSize, 1], generator: generator);

    private static int TrainLength(int tokens, double trainFraction) => trainFraction is > 0 and < 1
        ? (int)(tokens * trainFraction)
        : throw new ArgumentException($"trainFraction must be in (0, 1) (got {trainFraction}).");

    public void Dispose()
    {
        Train.Dispose();
        Validation.Dispose();
    }
}
