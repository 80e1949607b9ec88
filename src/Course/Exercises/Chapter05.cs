using System.Text;
using Course.Data;
using static TorchSharp.torch;

namespace Course;

public static partial class Exercises
{
    /// <summary>Chapter 05, tokenization. Each right answer is computed here from the library.</summary>
    public static class Chapter05
    {
        /// <summary>The string of the chapter's merges by hand.</summary>
        public const string Tiny = "the cat sat on the mat; the rat sat on the hat";

        /// <summary>The string of exercise 2.</summary>
        public const string Mixed = "naïve 日本 🙂";

        /// <param name="tinyTokensWithFourMerges">Exercise 1: tokens of <see cref="Tiny"/> with a vocabulary of 256 + 4.</param>
        /// <param name="byteTokens">Exercise 2: tokens of <see cref="Mixed"/> with the byte tokenizer (no merges).</param>
        /// <param name="r50kShardBytes">Exercise 3: bytes of a shard of 1,000,000 ids of r50k_base (V = 50,257).</param>
        /// <param name="o200kShardBytes">Exercise 3: bytes of a shard of 1,000,000 ids of o200k_base (V = 200,019).</param>
        /// <param name="trainMerges">Exercise 5: (text, n) ↦ the first n merges BPE learns on the text, as byte-level spellings.</param>
        public static ExerciseReport Check(long? tinyTokensWithFourMerges = null, long? byteTokens = null, long? r50kShardBytes = null, long? o200kShardBytes = null,
            Func<string, int, IReadOnlyList<(string Left, string Right)>>? trainMerges = null)
        {
            using var scope = NewDisposeScope();
            const long ids = 1_000_000;
            return new ExerciseReport("05")
                .Number(1, "tokens of the tiny string with 4 merges", tinyTokensWithFourMerges, ByteLevelBpeTokenizer.Train(Tiny, 256 + 4).Encode(Tiny).Length)
                .Number(2, "byte tokens of \"naïve 日本 🙂\"", byteTokens, ByteLevelBpeTokenizer.Train(Mixed, 256).Encode(Mixed).Length)
                .Number(3, "bytes of a 1,000,000-id r50k_base shard", r50kShardBytes, TokenShard.HeaderSize + ids * TokenShard.WidthFor(50_257))
                .Number(3, "bytes of a 1,000,000-id o200k_base shard", o200kShardBytes, TokenShard.HeaderSize + ids * TokenShard.WidthFor(200_019))
                .Judge(5, "BPE training", trainMerges, train =>
                {
                    foreach (var (text, merges) in new[] { (Tiny, 8), ("low lower lowest newer newest wider widest, 2024 and 2025!", 12) })
                    {
                        var expected = BpeTrainer.Train(text, 256 + merges);
                        var given = train(text, merges);
                        if (given.Count != expected.Count) return $"{given.Count} merges for n = {merges} on \"{text}\", expected {expected.Count}";
                        for (int i = 0; i < expected.Count; i++)
                            if (given[i] != expected[i])
                                return $"merge {i + 1} on \"{text}\" is {given[i].Left} + {given[i].Right}, expected {expected[i].Left} + {expected[i].Right}";
                    }
                    return null;
                });
        }
    }
}
