using System.Text;

namespace Course.Data;

/// <summary>
/// Learns byte-level BPE merges from text, as GPT-2's tokenizer was trained: start from the 256 byte values and
/// repeatedly merge the most frequent adjacent pair into a new token until the vocabulary has the asked-for size.
/// </summary>
/// <remarks>
/// Pairs are counted over unique pre-tokens weighted by how often each occurs (a corpus of megabytes has only tens of
/// thousands of distinct words), and after each merge only the words that contain the merged pair are recounted, with
/// a max-heap of pair counts whose stale entries are skipped when popped. Ties go to the pair with the smaller ids, so
/// training is deterministic.
/// </remarks>
public static class BpeTrainer
{
    /// <summary>Merges for a vocabulary of <paramref name="vocabSize"/> tokens (256 bytes + merges), fewer if the text runs out of pairs.</summary>
    /// <returns>The merges in the order learned, as pairs of byte-level token strings (see <see cref="ByteLevelAlphabet"/>).</returns>
    public static IReadOnlyList<(string Left, string Right)> Train(string text, int vocabSize)
    {
        if (vocabSize < 256)
            throw new ArgumentOutOfRangeException(nameof(vocabSize), vocabSize,
                "A byte-level BPE vocabulary needs at least 256 tokens, one per byte value; ask for 256 or more (e.g. bpe:8000).");
        if (string.IsNullOrEmpty(text)) throw new ArgumentException("BPE needs training text; the text is empty.", nameof(text));

        var (words, frequencies) = CountWords(text);
        var tokens = Enumerable.Range(0, 256).Select(b => ByteLevelAlphabet.ToChar((byte)b).ToString()).ToList();
        var pairCounts = new Dictionary<long, long>();
        var wordsWithPair = new Dictionary<long, HashSet<int>>();
        for (var w = 0; w < words.Length; w++) AddPairs(words[w], w, frequencies[w], pairCounts, wordsWithPair);

        // Max-heap on count; the smaller pair key wins a tie.
        var heap = new PriorityQueue<long, (long Count, long Key)>(Comparer<(long Count, long Key)>.Create((x, y) =>
            x.Count != y.Count ? y.Count.CompareTo(x.Count) : x.Key.CompareTo(y.Key)));
        foreach (var (pair, count) in pairCounts) heap.Enqueue(pair, (count, pair));

        var merges = new List<(string, string)>();
        var changed = new HashSet<long>();
        while (tokens.Count < vocabSize && heap.TryDequeue(out var best, out var priority))
        {
            // An entry is stale when the pair's count changed after it was queued; the current count is queued too.
            if (!pairCounts.TryGetValue(best, out var count) || count != priority.Count || count == 0) continue;
            var (left, right) = Unpack(best);
            var merged = tokens.Count;
            tokens.Add(tokens[left] + tokens[right]);
            merges.Add((tokens[left], tokens[right]));

            changed.Clear();
            foreach (var w in wordsWithPair[best].ToArray())
            {
                // Recount the whole word: words are short, and it stays correct for overlaps such as "aaa".
                RemovePairs(words[w], frequencies[w], pairCounts, changed);
                words[w] = Merge(words[w], left, right, merged);
                AddPairs(words[w], w, frequencies[w], pairCounts, wordsWithPair, changed);
            }
            wordsWithPair.Remove(best);
            foreach (var pair in changed)
                if (pairCounts.TryGetValue(pair, out var c) && c > 0) heap.Enqueue(pair, (c, pair));
        }
        return merges;
    }

    /// <summary>The distinct pre-tokens of the text as byte sequences, with how often each occurs, in order of first occurrence.</summary>
    private static (int[][] Words, long[] Frequencies) CountWords(string text)
    {
        var counts = new Dictionary<string, long>();
        var lookup = counts.GetAlternateLookup<ReadOnlySpan<char>>();
        foreach (var match in Gpt2PreTokenizer.Regex().EnumerateMatches(text))
        {
            var piece = text.AsSpan(match.Index, match.Length);
            if (lookup.TryGetValue(piece, out var n)) lookup[piece] = n + 1;
            else counts[piece.ToString()] = 1;
        }
        var words = new int[counts.Count][];
        var frequencies = new long[counts.Count];
        var i = 0;
        foreach (var (word, count) in counts)
        {
            var bytes = Encoding.UTF8.GetBytes(word);
            words[i] = Array.ConvertAll(bytes, b => (int)b);
            frequencies[i++] = count;
        }
        return (words, frequencies);
    }

    private static int[] Merge(int[] word, int left, int right, int merged)
    {
        var result = new List<int>(word.Length);
        for (var i = 0; i < word.Length; i++)
        {
            if (i + 1 < word.Length && word[i] == left && word[i + 1] == right) { result.Add(merged); i++; }
            else result.Add(word[i]);
        }
        return result.ToArray();
    }

    private static void AddPairs(int[] word, int w, long frequency, Dictionary<long, long> counts,
        Dictionary<long, HashSet<int>> wordsWithPair, HashSet<long>? changed = null)
    {
        for (var i = 0; i + 1 < word.Length; i++)
        {
            var pair = Pack(word[i], word[i + 1]);
            counts[pair] = counts.GetValueOrDefault(pair) + frequency;
            if (!wordsWithPair.TryGetValue(pair, out var set)) wordsWithPair[pair] = set = [];
            set.Add(w);
            changed?.Add(pair);
        }
    }

    private static void RemovePairs(int[] word, long frequency, Dictionary<long, long> counts, HashSet<long> changed)
    {
        for (var i = 0; i + 1 < word.Length; i++)
        {
            var pair = Pack(word[i], word[i + 1]);
            counts[pair] -= frequency;
            changed.Add(pair);
        }
    }

    private static long Pack(int left, int right) => ((long)left << 32) | (uint)right;

    private static (int Left, int Right) Unpack(long pair) => ((int)(pair >> 32), (int)(pair & 0xFFFFFFFF));
}
