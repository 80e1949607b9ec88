using Course.Evaluation;

namespace Course.Data;

/// <summary>How far <see cref="ShardPreparer.Prepare"/> is: a stage, and for encoding the characters done out of all.</summary>
/// <param name="TotalCharacters">0 while the stage has no measure of progress (training a tokenizer).</param>
public sealed record PreparationProgress(string Stage, long Characters, long TotalCharacters);

/// <summary>Tokenizes a corpus once into train and validation shards, so training reads ids instead of re-encoding text.</summary>
public static class ShardPreparer
{
    public const string TrainFileName = "train.bin";
    public const string ValFileName = "val.bin";
    public const string TokenizerFolderName = "tokenizer";
    public const double ValFraction = 0.1;

    /// <summary>Characters encoded per call to the tokenizer: the unit of progress, and of the memory the ids take.</summary>
    internal const int ChunkCharacters = 1 << 20;

    /// <summary>
    /// Builds the tokenizer of <paramref name="tokenizerSpec"/> (see <see cref="Tokenizers.FromSpec"/>) and writes
    /// train.bin (the first 90% of the text), val.bin (the rest, starting at a line), the tokenizer and meta.json into
    /// <paramref name="outDirectory"/>.
    /// </summary>
    /// <remarks>
    /// A learned tokenizer sees the whole text, as nanoGPT's char preparation does: otherwise a character that occurs
    /// only in the validation part could not be encoded. The split is by characters at a line start, so no line
    /// is in both parts. The folder is locked while it is written (one writer), and a folder that already holds
    /// shards is refused, never overwritten. Everything is written to a temporary folder inside it and renamed into
    /// place at the end, meta.json last: a folder without meta.json was not finished, and the next preparation
    /// clears what such a run left.
    /// </remarks>
    /// <exception cref="UserError">The folder holds shards or other files already, or another process holds it.</exception>
    public static ShardManifest Prepare(CorpusText corpus, string tokenizerSpec, string outDirectory, IProgress<PreparationProgress>? progress = null)
    {
        var full = Path.GetFullPath(outDirectory);
        if (File.Exists(full)) throw new UserError($"{full} is a file, not a folder for token shards. Choose another --out.");
        using var folderLock = FolderLock.Acquire(full, "shard folder");
        if (File.Exists(Path.Combine(full, ShardManifest.FileName)))
            throw new UserError($"{full} already holds token shards. Choose another --out, or delete the folder to prepare it again; shards are never overwritten in place.");
        var foreign = Directory.EnumerateFileSystemEntries(full).Select(Path.GetFileName)
            .Where(n => n is not (FolderLock.FileName or TrainFileName or ValFileName or TokenizerFolderName) && !n!.StartsWith(TemporaryPrefix, StringComparison.Ordinal)).ToList();
        if (foreign.Count > 0)
            throw new UserError($"{full} is not empty (it holds {string.Join(", ", foreign.Take(3))}{(foreign.Count > 3 ? ", ..." : "")}). Give an empty or new folder as --out.");
        foreach (var leftover in Directory.GetDirectories(full, TemporaryPrefix + "*")) Directory.Delete(leftover, recursive: true);
        var temporary = Path.Combine(full, $"{TemporaryPrefix}{Guid.NewGuid():N}");
        try
        {
            var manifest = Write(corpus, tokenizerSpec, temporary, progress);
            foreach (var name in new[] { TrainFileName, ValFileName }) File.Move(Path.Combine(temporary, name), Path.Combine(full, name), overwrite: true);
            var tokenizerFolder = Path.Combine(full, TokenizerFolderName);
            if (Directory.Exists(tokenizerFolder)) Directory.Delete(tokenizerFolder, recursive: true); // from a preparation that never finished
            Directory.Move(Path.Combine(temporary, TokenizerFolderName), tokenizerFolder);
            File.Move(Path.Combine(temporary, ShardManifest.FileName), Path.Combine(full, ShardManifest.FileName));
            return manifest;
        }
        finally
        {
            if (Directory.Exists(temporary)) Directory.Delete(temporary, recursive: true);
        }
    }

    /// <summary>Names the temporary folder a preparation writes in, inside the shard folder.</summary>
    private const string TemporaryPrefix = ".prepare-";

    private static ShardManifest Write(CorpusText corpus, string tokenizerSpec, string outDirectory, IProgress<PreparationProgress>? progress)
    {
        var text = corpus.Text;
        progress?.Report(new PreparationProgress($"building tokenizer {tokenizerSpec}", 0, 0));
        var tokenizer = Tokenizers.FromSpec(tokenizerSpec, text);

        var split = SplitPoint(text);
        Directory.CreateDirectory(outDirectory);
        long trainTokens, valTokens;
        progress?.Report(new PreparationProgress("encoding", 0, text.Length));
        using (var train = new TokenShardWriter(Path.Combine(outDirectory, TrainFileName), tokenizer.VocabSize))
        using (var val = new TokenShardWriter(Path.Combine(outDirectory, ValFileName), tokenizer.VocabSize))
        {
            foreach (var (writer, start, end) in new[] { (train, 0, split), (val, split, text.Length) })
                foreach (var (from, to) in Chunks(text, start, end))
                {
                    writer.Append(tokenizer.Encode(text[from..to]));
                    progress?.Report(new PreparationProgress("encoding", to, text.Length));
                }
            train.Complete();
            val.Complete();
            (trainTokens, valTokens) = (train.Count, val.Count);
        }
        tokenizer.Save(Path.Combine(outDirectory, TokenizerFolderName));
        var manifest = new ShardManifest(ShardManifest.CurrentFormat, corpus.Name, corpus.Sha256, corpus.Bytes, corpus.Source, tokenizerSpec,
            tokenizer.Kind, tokenizer.VocabSize, trainTokens, valTokens, text.Length, Evaluator.UnigramBitsPerCharacter(text[..split], text[split..]));
        manifest.Write(outDirectory);
        return manifest;
    }

    /// <summary>
    /// Pieces of text[start..end) of about <see cref="ChunkCharacters"/>, each ending just after a newline that is
    /// followed by a non-space character. No pre-tokenizer pattern in use (GPT-2's, cl100k's, o200k's) makes one
    /// piece of a newline and a following non-space character, so the pieces encode to the same ids as the whole.
    /// </summary>
    internal static IEnumerable<(int From, int To)> Chunks(string text, int start, int end, int size = ChunkCharacters)
    {
        for (var from = start; from < end;)
        {
            var to = BoundaryAfter(text, Math.Min(from + size, end) - 1, end);
            yield return (from, to);
            from = to;
        }
    }

    /// <summary>The position after the first newline at or after <paramref name="at"/> that a non-space character
    /// follows; <paramref name="end"/> when there is none.</summary>
    private static int BoundaryAfter(string text, int at, int end)
    {
        for (var newline = text.IndexOf('\n', at, end - at); newline >= 0 && newline + 1 < end; newline = text.IndexOf('\n', newline + 1, end - newline - 1))
            if (!char.IsWhiteSpace(text[newline + 1])) return newline + 1;
        return end;
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
