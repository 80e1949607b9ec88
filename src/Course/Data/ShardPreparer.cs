using System.Text.Json;

namespace Course.Data;

/// <summary>What <see cref="ShardPreparer.Prepare"/> wrote.</summary>
public sealed record PreparedShards(string TrainPath, string ValPath, string TokenizerDirectory, long TrainTokens, long ValTokens, int VocabSize);

/// <summary>Tokenizes a corpus once into train and validation shards, so training reads ids instead of re-encoding text.</summary>
public static class ShardPreparer
{
    public const string TrainFileName = "train.bin";
    public const string ValFileName = "val.bin";
    public const string TokenizerFolderName = "tokenizer";
    public const double ValFraction = 0.1;

    /// <summary>
    /// Loads <paramref name="corpusName"/> (see <see cref="Corpora.Load(string, string?)"/>), builds the tokenizer of
    /// <paramref name="tokenizerSpec"/> (see <see cref="Tokenizers.FromSpec"/>), and writes train.bin (the first 90%
    /// of the text), val.bin (the rest, starting at a line) and the tokenizer into <paramref name="outDirectory"/>.
    /// </summary>
    /// <remarks>
    /// A learned tokenizer sees the whole text, as nanoGPT's char preparation does: otherwise a character that occurs
    /// only in the validation part could not be encoded. The split is by characters at a line start, so no line
    /// is in both parts.
    /// </remarks>
    public static PreparedShards Prepare(string corpusName, string tokenizerSpec, string outDirectory, IProgress<string>? progress = null,
        string? cacheDirectory = null)
    {
        var corpus = Corpora.Load(corpusName, cacheDirectory);
        progress?.Report($"corpus {corpus.Name}: {corpus.Bytes:N0} bytes, sha256 {corpus.Sha256}");
        progress?.Report($"building tokenizer {tokenizerSpec}");
        var tokenizer = Tokenizers.FromSpec(tokenizerSpec, corpus.Text);

        var split = SplitPoint(corpus.Text);
        Directory.CreateDirectory(outDirectory);
        var trainPath = Path.Combine(outDirectory, TrainFileName);
        var valPath = Path.Combine(outDirectory, ValFileName);
        progress?.Report($"encoding {split:N0} characters for {TrainFileName}");
        var train = tokenizer.Encode(corpus.Text[..split]);
        TokenShard.Write(trainPath, train, tokenizer.VocabSize);
        progress?.Report($"encoding {corpus.Text.Length - split:N0} characters for {ValFileName}");
        var val = tokenizer.Encode(corpus.Text[split..]);
        TokenShard.Write(valPath, val, tokenizer.VocabSize);

        var tokenizerDirectory = Path.Combine(outDirectory, TokenizerFolderName);
        tokenizer.Save(tokenizerDirectory);
        var meta = new { corpus = corpus.Name, corpusSha256 = corpus.Sha256, corpusSource = corpus.Source, tokenizer = tokenizer.Kind, tokenizerSpec,
            vocabSize = tokenizer.VocabSize, trainTokens = train.Length, valTokens = val.Length };
        AtomicFile.WriteBytes(Path.Combine(outDirectory, "meta.json"), JsonSerializer.SerializeToUtf8Bytes(meta, new JsonSerializerOptions { WriteIndented = true }));
        progress?.Report($"{train.Length:N0} train and {val.Length:N0} validation tokens, {corpus.Text.Length / (double)(train.Length + val.Length):F2} characters per token");
        return new PreparedShards(trainPath, valPath, tokenizerDirectory, train.Length, val.Length, tokenizer.VocabSize);
    }

    /// <summary>The start of the line at or after 90% of the text; the plain 90% mark when that leaves no validation text.</summary>
    internal static int SplitPoint(string text)
    {
        var mark = (int)(text.Length * (1 - ValFraction));
        var newline = text.IndexOf('\n', mark);
        var split = newline >= 0 && newline + 1 < text.Length ? newline + 1 : mark;
        // Never split inside a surrogate pair.
        return split > 0 && split < text.Length && char.IsLowSurrogate(text[split]) ? split + 1 : split;
    }
}
