using System.Text.RegularExpressions;

namespace Course.FineTuning.Instructions;

/// <summary>
/// SQuAD's answer metrics (Rajpurkar et al. 2016, the official evaluate-v1.1.py): both texts are normalised (lower case,
/// punctuation removed, the articles a/an/the removed, whitespace collapsed); exact match is 1 when the normalised texts
/// are equal, token F1 is the harmonic mean of the precision and recall of the shared tokens, counted as a multiset.
/// </summary>
public static partial class AnswerOverlap
{
    public static string Normalize(string text)
    {
        var lower = new string(text.ToLowerInvariant().Where(c => !char.IsPunctuation(c) && !char.IsSymbol(c)).ToArray());
        return string.Join(' ', Articles().Replace(lower, " ").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }

    public static double ExactMatch(string predicted, string truth) => Normalize(predicted) == Normalize(truth) ? 1 : 0;

    public static double F1(string predicted, string truth)
    {
        var p = Normalize(predicted).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var t = Normalize(truth).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (p.Length == 0 || t.Length == 0) return p.Length == t.Length ? 1 : 0; // SQuAD v2's rule for empty answers
        var left = t.GroupBy(w => w).ToDictionary(g => g.Key, g => g.Count());
        var common = 0;
        foreach (var word in p)
            if (left.TryGetValue(word, out var n) && n > 0) { left[word] = n - 1; common++; }
        if (common == 0) return 0;
        double precision = (double)common / p.Length, recall = (double)common / t.Length;
        return 2 * precision * recall / (precision + recall);
    }

    [GeneratedRegex(@"\b(a|an|the)\b")]
    private static partial Regex Articles();
}
