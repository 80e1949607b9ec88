using System.Text.RegularExpressions;

namespace Course.Data;

/// <summary>
/// GPT-2's pre-tokenization: text is cut into contractions, words with their leading space, numbers, runs of
/// punctuation and runs of whitespace, and BPE merges never cross these pieces. This keeps " the" one token instead
/// of letting merges glue words to punctuation, and is the same split for training and encoding.
/// </summary>
public static partial class Gpt2PreTokenizer
{
    public const string Pattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    [GeneratedRegex(Pattern)]
    public static partial Regex Regex();
}
