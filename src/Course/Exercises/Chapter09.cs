using Course.Evaluation;
using Course.FineTuning;
using Course.Models;
using static TorchSharp.torch;

namespace Course;

public static partial class Exercises
{
    /// <summary>Chapter 09, fine-tuning for classification. Each right answer is computed here from the library.</summary>
    public static class Chapter09
    {
        /// <summary>The chapter's worked example, rows true (A, B, C), columns predicted.</summary>
        private static readonly int[,] WorkedExample = { { 4, 1, 0 }, { 1, 2, 0 }, { 1, 1, 0 } };

        /// <param name="macroF1AfterFix">Exercise 1: the worked example's macro F1 once the C predicted as A is predicted as C.</param>
        /// <param name="headWeightsOnCpuSmall">Exercise 2: weights that train with a frozen `cpu-small` body and 5 classes.</param>
        /// <param name="majorityMacroF1">Exercise 3: macro F1 of always answering "method" when 68.1% of 5-class examples are methods.</param>
        /// <param name="macroF1">Exercise 5: (actual, predicted, classes) ↦ macro F1, a ratio with denominator 0 taken as 0.</param>
        public static ExerciseReport Check(double? macroF1AfterFix = null, long? headWeightsOnCpuSmall = null, double? majorityMacroF1 = null,
            Func<int[], int[], int, double>? macroF1 = null)
        {
            using var scope = NewDisposeScope();
            var fixedExample = (int[,])WorkedExample.Clone();
            fixedExample[2, 0]--;
            fixedExample[2, 2]++;
            var (fixedActual, fixedPredicted) = Pairs(fixedExample);

            var classifier = new GptClassifier(new Gpt(Preset.Named("cpu-small").ModelFor(103)), classes: 5);
            classifier.FreezeBody(true);
            long headWeights = classifier.parameters().Where(p => p.requires_grad).Sum(p => p.numel());

            // 1,000 examples, 681 of them "method" (class 1), the rest spread over the other four classes.
            var majorityActual = Enumerable.Range(0, 1000).Select(i => i < 681 ? 1 : new[] { 0, 2, 3, 4 }[i % 4]).ToArray();
            var majority = new ClassificationMetrics(majorityActual, majorityActual.Select(_ => 1).ToArray(), Labels(5));

            return new ExerciseReport("09")
                .Number(1, "macro F1 with C found once", macroF1AfterFix, new ClassificationMetrics(fixedActual, fixedPredicted, Labels(3)).MacroF1, 0.001)
                .Number(2, "weights trained with a frozen cpu-small body", headWeightsOnCpuSmall, headWeights)
                .Number(3, "macro F1 of the majority baseline", majorityMacroF1, majority.MacroF1, 0.001)
                .Judge(5, "macro F1 by hand", macroF1, f =>
                {
                    var random = new Random(9);
                    foreach (var (classes, count) in new[] { (3, 10), (4, 60), (5, 200) })
                    {
                        var actual = Enumerable.Range(0, count).Select(_ => random.Next(classes)).ToArray();
                        // The last class is never predicted: its precision has denominator 0.
                        var predicted = actual.Select(a => random.NextDouble() < 0.6 ? Math.Min(a, classes - 2) : random.Next(classes - 1)).ToArray();
                        var expected = new ClassificationMetrics(actual, predicted, Labels(classes)).MacroF1;
                        var given = f(actual, predicted, classes);
                        if (!(Math.Abs(given - expected) <= 1e-9))
                            return $"for {count} examples of {classes} classes you gave {given:G6}, ClassificationMetrics gives {expected:G6}";
                    }
                    return null;
                });
        }

        private static (int[] Actual, int[] Predicted) Pairs(int[,] counts)
        {
            var pairs = (from i in Enumerable.Range(0, counts.GetLength(0)) from j in Enumerable.Range(0, counts.GetLength(1))
                         from _ in Enumerable.Range(0, counts[i, j]) select (i, j)).ToArray();
            return (pairs.Select(p => p.i).ToArray(), pairs.Select(p => p.j).ToArray());
        }

        private static string[] Labels(int classes) => Enumerable.Range(0, classes).Select(c => $"class {c}").ToArray();
    }
}
