using Course.Data;
using Course.Evaluation;

namespace Course.Cli;

/// <summary>The corpus a run trained on, as reports name it, with what turns a loss per token into bits per character.</summary>
public sealed record CorpusFacts(string Name, string Sha256, long Bytes, long Characters, double UnigramBitsPerCharacter);

/// <summary>What `course pretrain` and `course evaluate` read: a corpus to encode in memory, or token shards read memory-mapped.</summary>
public sealed class TrainingData : IDisposable
{
    private TrainingData(CorpusFacts corpus, ITokenizer tokenizer, CorpusText? text, ShardSplit? shards) =>
        (Corpus, Tokenizer, Text, Shards) = (corpus, tokenizer, text, shards);

    public CorpusFacts Corpus { get; }
    public ITokenizer Tokenizer { get; }

    /// <summary>The corpus text, when the tokens are encoded in memory; null for shards.</summary>
    public CorpusText? Text { get; }

    /// <summary>The opened shards; null when the text is encoded in memory.</summary>
    public ShardSplit? Shards { get; }

    /// <param name="tokenizerFor">Makes the tokenizer, given the corpus text (a learned one trains on it).</param>
    public static TrainingData FromCorpus(string nameOrPath, DownloadOptions download, Func<string, ITokenizer> tokenizerFor)
    {
        var text = Corpora.Load(nameOrPath, cacheDirectory: null, download);
        var facts = new CorpusFacts(text.Name, text.Sha256, text.Bytes, text.Text.Length, Evaluator.UnigramBitsPerCharacter(text.Text));
        return new TrainingData(facts, tokenizerFor(text.Text), text, shards: null);
    }

    public static TrainingData FromShards(string directory)
    {
        var shards = ShardSplit.Open(directory);
        var m = shards.Manifest;
        return new TrainingData(new CorpusFacts(m.Corpus, m.CorpusSha256, m.CorpusBytes, m.Characters, m.UnigramBitsPerCharacter), shards.Tokenizer, text: null, shards);
    }

    public void Dispose() => Shards?.Dispose();
}
