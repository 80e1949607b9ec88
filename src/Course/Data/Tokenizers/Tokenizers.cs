using System.Globalization;

namespace Course.Data;

/// <summary>Makes a tokenizer from a short spec, as given on the command line.</summary>
public static class Tokenizers
{
    /// <summary>The spec forms, for help text and error messages.</summary>
    public static readonly IReadOnlyList<string> ValidSpecs = ["char", "bpe:<vocab size>, e.g. bpe:8000", .. TiktokenEncoding.Names];

    /// <summary>
    /// "char" and "bpe:N" learn their vocabulary from <paramref name="trainingText"/>; "cl100k_base" and "o200k_base"
    /// (also written "tiktoken:cl100k_base") are fixed encodings and ignore it.
    /// </summary>
    /// <exception cref="UserError">The spec is not one of <see cref="ValidSpecs"/>, or a learned kind has no text.</exception>
    public static ITokenizer FromSpec(string spec, string? trainingText) => Parse(spec) switch
    {
        ("char", _) => CharTokenizer.FromText(RequireText(spec, trainingText)),
        ("bpe", var size) => ByteLevelBpeTokenizer.Train(RequireText(spec, trainingText), size),
        var (encoding, _) => new TiktokenEncoding(encoding),
    };

    /// <summary>Refuses a spec that <see cref="FromSpec"/> would refuse, without learning anything, so that a command
    /// can say so before it spends time loading a corpus.</summary>
    public static void Check(string spec) => Parse(spec);

    /// <summary>The spec's kind ("char", "bpe" or a tiktoken encoding's name) and, for BPE, its vocabulary size.</summary>
    private static (string Kind, int BpeSize) Parse(string spec)
    {
        var s = spec.Trim();
        if (s.StartsWith("tiktoken:", StringComparison.Ordinal)) s = s["tiktoken:".Length..];
        if (TiktokenEncoding.Names.Contains(s)) return (s, 0);
        if (s == "char") return ("char", 0);
        if (s.StartsWith("bpe:", StringComparison.Ordinal))
        {
            if (!int.TryParse(s["bpe:".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var size) || size < 256)
                throw new UserError($"Tokenizer spec '{spec}': the BPE vocabulary size must be a whole number of at least 256 (one token per byte), e.g. bpe:8000.");
            return ("bpe", size);
        }
        throw new UserError($"Unknown tokenizer spec '{spec}'. Valid specs: {string.Join("; ", ValidSpecs)}.");
    }

    private static string RequireText(string spec, string? text) => string.IsNullOrEmpty(text)
        ? throw new UserError($"Tokenizer spec '{spec}' learns its vocabulary from text, but no training text was given. Pass the corpus text.")
        : text;
}
