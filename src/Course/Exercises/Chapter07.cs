using Course.Evaluation;
using static TorchSharp.torch;

namespace Course;

public static partial class Exercises
{
    /// <summary>Chapter 07, evaluation and sampling. Each right answer is computed here from the library.</summary>
    public static class Chapter07
    {
        /// <param name="perplexityAt1Point5">Exercise 1: the perplexity of a loss of 1.5 nats per character.</param>
        /// <param name="bitsAt1Point5">Exercise 1: the same loss in bits per character.</param>
        /// <param name="mississippiBits">Exercise 2: the unigram baseline trained on "mississippi", scored on "sip", in bits per character.</param>
        /// <param name="keptByTopP08">Exercise 3: how many of z = (2, 1, 0, −1) top-p 0.8 keeps.</param>
        /// <param name="topP">Exercise 5: (logits (B, V), p) ↦ the top-p distribution at temperature 1.</param>
        public static ExerciseReport Check(double? perplexityAt1Point5 = null, double? bitsAt1Point5 = null, double? mississippiBits = null, long? keptByTopP08 = null,
            Func<Tensor, double, Tensor>? topP = null)
        {
            using var scope = NewDisposeScope();
            var worked = tensor(new float[] { 2, 1, 0, -1 }).reshape(1, 4);
            var kept = new NextTokenSampler(1.0, TopP: 0.8).Probabilities(worked).gt(0).sum().item<long>();
            var generator = new Generator(7);
            return new ExerciseReport("07")
                .Number(1, "perplexity of 1.5 nats", perplexityAt1Point5, Evaluator.Perplexity(1.5), 1e-3)
                .Number(1, "bits per character of 1.5 nats", bitsAt1Point5, Evaluator.BitsPerCharacter(1.5), 1e-3)
                .Number(2, "unigram bits: mississippi → sip", mississippiBits, Evaluator.UnigramBitsPerCharacter("mississippi", "sip"), 1e-3)
                .Number(3, "characters kept by top-p 0.8", keptByTopP08, kept)
                .Judge(5, "top-p (nucleus) filtering", topP, f =>
                {
                    var logits = randn([3, 50], generator: generator) * 2;
                    foreach (var p in new[] { 0.5, 0.9, 0.99 })
                        if (Tensors.Differ(f(logits.clone(), p), new NextTokenSampler(1.0, TopP: p).Probabilities(logits), 1e-5) is string wrong)
                            return $"with p = {p}: {wrong}";
                    return null;
                });
        }
    }
}
