namespace Course.Data;

/// <summary>
/// Turns text into token ids and back. One interface for training, sampling, checkpoints and notebooks.
/// </summary>
public interface ITokenizer
{
    /// <summary>A short name for the kind of tokenizer: "char", "bpe", "tiktoken:cl100k_base", ...</summary>
    string Kind { get; }

    /// <summary>Number of distinct ids; every id produced by <see cref="Encode"/> is below it.</summary>
    int VocabSize { get; }

    int[] Encode(string text);

    string Decode(IEnumerable<int> ids);

    /// <summary>Writes everything needed to rebuild this tokenizer into <paramref name="directory"/>
    /// (always a tokenizer.json naming the kind; other files as the kind needs). Read back with
    /// <see cref="TokenizerStore.Load"/>.</summary>
    void Save(string directory);
}
