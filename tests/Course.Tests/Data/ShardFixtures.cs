using Course.Data;

namespace Course.Tests.Data;

internal static class ShardFixtures
{
    /// <summary>A shard folder as <see cref="ShardPreparer"/> lays it out, from ids chosen by the test.</summary>
    public static void Write(string directory, ITokenizer tokenizer, int[] train, int[] validation, CorpusText corpus)
    {
        TokenShard.Write(Path.Combine(directory, ShardPreparer.TrainFileName), train, tokenizer.VocabSize);
        TokenShard.Write(Path.Combine(directory, ShardPreparer.ValFileName), validation, tokenizer.VocabSize);
        tokenizer.Save(Path.Combine(directory, ShardPreparer.TokenizerFolderName));
        new ShardManifest(ShardManifest.CurrentFormat, corpus.Name, corpus.Sha256, corpus.Bytes, corpus.Source, tokenizer.Kind, tokenizer.Kind,
            tokenizer.VocabSize, train.Length, validation.Length, corpus.Text.Length, UnigramBitsPerCharacter: 4.0).Write(directory);
    }

    /// <summary>Ids 0, 1, 2, ... (modulo the vocabulary) so that every window shows where it was read from.</summary>
    public static void WriteCounting(string directory, int trainLength, int validationLength, ITokenizer tokenizer)
    {
        var v = tokenizer.VocabSize;
        Write(directory, tokenizer, Enumerable.Range(0, trainLength).Select(i => i % v).ToArray(),
            Enumerable.Range(trainLength, validationLength).Select(i => i % v).ToArray(), Training.TrainingFixtures.Corpus());
    }

    /// <summary>A character tokenizer of <paramref name="vocabSize"/> ids (at most 20,000).</summary>
    public static ITokenizer Characters(int vocabSize) =>
        CharTokenizer.FromText(string.Concat(Enumerable.Range(0, vocabSize).Select(i => (char)(0x4E00 + i))));
}
