using static TorchSharp.torch;

namespace Course.Data;

/// <summary>
/// A token stream split once into training and validation parts (the first 90% trains, the rest validates, as
/// nanoGPT does), from which random windows of block size T are drawn: inputs x = tokens[i .. i+T) and targets
/// y = tokens[i+1 .. i+T+1), the same window shifted by one.
/// </summary>
public sealed class TokenSplit : IDisposable
{
    public const double DefaultTrainFraction = 0.9;

    public Tensor Train { get; }
    public Tensor Validation { get; }

    /// <param name="device">Where the tokens are kept: on a GPU, batches are gathered there without copies from the host.</param>
    public TokenSplit(int[] tokens, int blockSize, double trainFraction = DefaultTrainFraction, Device? device = null)
    {
        if (trainFraction is <= 0 or >= 1) throw new ArgumentException($"trainFraction must be in (0, 1) (got {trainFraction}).");
        var trainLength = (int)(tokens.Length * trainFraction);
        // Each part must hold at least one window of T + 1 tokens (inputs plus the shifted target).
        var shortest = Math.Min(trainLength, tokens.Length - trainLength);
        if (shortest < blockSize + 1)
            throw new ArgumentException(
                $"The corpus has {tokens.Length} tokens; its {(trainLength <= tokens.Length - trainLength ? "training" : "validation")} part " +
                $"({shortest} tokens) is shorter than one context window of {blockSize + 1} tokens. " +
                $"Use a longer corpus (at least {(int)Math.Ceiling((blockSize + 1) / Math.Min(trainFraction, 1 - trainFraction))} tokens) or a smaller block size.");
        using var all = tensor(tokens.Select(t => (long)t).ToArray());
        Train = all[..trainLength].to(device ?? CPU, copy: true);
        Validation = all[trainLength..].to(device ?? CPU, copy: true);
    }

    /// <summary>A batch of <paramref name="batchSize"/> random windows (x, y), each (B, T), on <paramref name="device"/>.</summary>
    public (Tensor X, Tensor Y) Batch(bool validation, int batchSize, int blockSize, Generator generator, Device device)
    {
        var data = validation ? Validation : Train;
        using var scope = NewDisposeScope();
        // The generator lives on the CPU (its state goes into checkpoints); only the start offsets travel.
        var starts = randint(data.size(0) - blockSize, [batchSize, 1], generator: generator).to(data.device);
        var windows = data[starts + arange(blockSize + 1, device: data.device)];
        var x = windows[.., ..^1].to(device);
        var y = windows[.., 1..].to(device);
        return (x.MoveToOuterDisposeScope(), y.MoveToOuterDisposeScope());
    }

    /// <summary>Tokens per character of <paramref name="text"/>, the text these tokens encode: converts a loss per
    /// token into a loss per character (1 for a character-level tokenizer).</summary>
    public double TokensPerCharacter(string text) => (double)(Train.size(0) + Validation.size(0)) / text.Length;

    public void Dispose()
    {
        Train.Dispose();
        Validation.Dispose();
    }
}
