using static TorchSharp.torch;

namespace Course.Data;

/// <summary>
/// Where training draws its windows from: a token stream held in memory (<see cref="TokenSplit"/>) or token shards
/// read by memory mapping (<see cref="ShardSplit"/>). Both draw the window starts from the caller's torch generator
/// in the same way, so the same tokens give the same batches whichever holds them, and a checkpointed generator
/// state resumes either.
/// </summary>
public interface ITokenBatches : IDisposable
{
    long TrainTokens { get; }
    long ValidationTokens { get; }

    /// <summary>The first token of the validation part: a prompt for samples when the tokenizer cannot encode a newline.</summary>
    int FirstValidationToken { get; }

    /// <summary>A batch of <paramref name="batchSize"/> random windows (x, y), each (B, T), on <paramref name="device"/>:
    /// x = tokens[i .. i+T) and y = tokens[i+1 .. i+T+1), the same window shifted by one.</summary>
    (Tensor X, Tensor Y) Batch(bool validation, int batchSize, int blockSize, Generator generator, Device device);
}

public static class TokenBatchesExtensions
{
    /// <summary>Tokens per character of the text these tokens encode, which had <paramref name="characters"/>
    /// characters: converts a loss per token into a loss per character (1 for a character-level tokenizer).</summary>
    public static double TokensPerCharacter(this ITokenBatches data, long characters) => (double)(data.TrainTokens + data.ValidationTokens) / characters;
}
