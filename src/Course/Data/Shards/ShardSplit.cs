using static TorchSharp.torch;

namespace Course.Data;

/// <summary>
/// A shard folder written by <see cref="ShardPreparer"/>, opened for training: train.bin and val.bin memory-mapped,
/// the tokenizer and meta.json. A batch reads only its windows' ids from the files, so the corpus may be larger than
/// memory.
/// </summary>
public sealed class ShardSplit : ITokenBatches
{
    private readonly TokenShard _train, _validation;

    private ShardSplit(string directory, ShardManifest manifest, ITokenizer tokenizer, TokenShard train, TokenShard validation) =>
        (Directory, Manifest, Tokenizer, _train, _validation) = (directory, manifest, tokenizer, train, validation);

    public string Directory { get; }
    public ShardManifest Manifest { get; }
    public ITokenizer Tokenizer { get; }

    public long TrainTokens => _train.Count;
    public long ValidationTokens => _validation.Count;

    public int FirstValidationToken
    {
        get
        {
            Span<int> first = stackalloc int[1];
            _validation.Read(0, first);
            return first[0];
        }
    }

    /// <summary>Opens the shards in <paramref name="directory"/> after checking that they, meta.json and the tokenizer agree.</summary>
    /// <exception cref="InvalidDataException">A file is missing, damaged, or belongs to another preparation.</exception>
    public static ShardSplit Open(string directory)
    {
        var manifest = ShardManifest.Read(directory);
        var tokenizer = TokenizerStore.Load(Path.Combine(directory, ShardPreparer.TokenizerFolderName));
        TokenShard? train = null, validation = null;
        try
        {
            train = TokenShard.Open(Path.Combine(directory, ShardPreparer.TrainFileName));
            validation = TokenShard.Open(Path.Combine(directory, ShardPreparer.ValFileName));
            foreach (var (shard, expected) in new[] { (train, manifest.TrainTokens), (validation, manifest.ValTokens) })
                if (shard.Count != expected || shard.VocabSize != manifest.VocabSize)
                    throw new UserError($"{shard.Path} holds {shard.Count} ids of a {shard.VocabSize}-token vocabulary, but {ShardManifest.FileName} " +
                        $"promises {expected} of {manifest.VocabSize}: the folder mixes two preparations. Prepare the shards again with `course data prepare`.");
            if (tokenizer.VocabSize != manifest.VocabSize)
                throw new UserError($"The tokenizer in {directory} has {tokenizer.VocabSize} tokens, the shards were written for {manifest.VocabSize}. Prepare the shards again with `course data prepare`.");
            return new ShardSplit(directory, manifest, tokenizer, train, validation);
        }
        catch
        {
            train?.Dispose();
            validation?.Dispose();
            throw;
        }
    }

    /// <summary>Checks that both shards hold at least one window of <paramref name="blockSize"/> + 1 ids.</summary>
    /// <exception cref="ArgumentException">A shard is too short, with what to change.</exception>
    public void RequireWindow(int blockSize)
    {
        foreach (var (shard, part) in new[] { (_train, "training"), (_validation, "validation") })
            if (shard.Count < blockSize + 1)
                throw new UserError($"The {part} shard {shard.Path} has {shard.Count} tokens, fewer than one context window of {blockSize + 1}. " +
                    "Prepare a longer corpus or use a smaller block size.");
    }

    public (Tensor X, Tensor Y) Batch(bool validation, int batchSize, int blockSize, Generator generator, Device device)
    {
        var shard = validation ? _validation : _train;
        RequireWindow(blockSize);
        long[] starts;
        using (var drawn = TokenSplit.WindowStarts(shard.Count, batchSize, blockSize, generator)) starts = drawn.data<long>().ToArray();
        var window = new int[blockSize + 1];
        var ids = new long[batchSize * (blockSize + 1)];
        for (var b = 0; b < batchSize; b++)
        {
            shard.Read(starts[b], window);
            for (var t = 0; t <= blockSize; t++) ids[b * (blockSize + 1) + t] = window[t];
        }
        using var scope = NewDisposeScope();
        var windows = tensor(ids, [batchSize, blockSize + 1]);
        var x = windows[.., ..^1].to(device);
        var y = windows[.., 1..].to(device);
        return (x.MoveToOuterDisposeScope(), y.MoveToOuterDisposeScope());
    }

    public void Dispose()
    {
        _train.Dispose();
        _validation.Dispose();
    }
}
