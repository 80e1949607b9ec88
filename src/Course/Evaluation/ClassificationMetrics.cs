using System.Globalization;
using System.Text;

namespace Course.Evaluation;

/// <summary>Precision, recall, F1 and support of one class.</summary>
public sealed record ClassScores(string Label, double Precision, double Recall, double F1, int Support);

/// <summary>
/// Scores of a single-label classifier from its confusion matrix: accuracy, per-class precision / recall / F1, and
/// their macro (unweighted mean over classes) and micro (from the summed counts) averages.
/// </summary>
/// <remarks>
/// A ratio whose denominator is zero is defined as 0, as scikit-learn's <c>zero_division=0</c>: a class that is
/// never predicted has precision 0, a class that never occurs has recall 0, and F1 is 0 when precision + recall is 0.
/// Such classes still count in the macro average (as in scikit-learn), so a classifier cannot raise its macro F1
/// by ignoring a class. For single-label data every error is at once a false positive of one class and a false
/// negative of another, so micro precision = micro recall = micro F1 = accuracy.
/// </remarks>
public sealed class ClassificationMetrics
{
    /// <summary>Counts[actual, predicted]: rows are true classes, columns predictions.</summary>
    public int[,] Counts { get; }
    public IReadOnlyList<string> Labels { get; }
    public int Total { get; }
    public double Accuracy { get; }
    public IReadOnlyList<ClassScores> PerClass { get; }
    public double MacroPrecision => PerClass.Average(c => c.Precision);
    public double MacroRecall => PerClass.Average(c => c.Recall);
    public double MacroF1 => PerClass.Average(c => c.F1);
    public double MicroPrecision { get; }
    public double MicroRecall { get; }
    public double MicroF1 => F1(MicroPrecision, MicroRecall);

    /// <summary>Scores predictions against true class indices in [0, labels.Count).</summary>
    public ClassificationMetrics(IReadOnlyList<int> actual, IReadOnlyList<int> predicted, IReadOnlyList<string> labels)
    {
        if (labels.Count == 0) throw new ArgumentException("Classification metrics need at least one class label.");
        if (actual.Count != predicted.Count)
            throw new ArgumentException($"There are {actual.Count} true labels but {predicted.Count} predictions; give one prediction per example.");
        if (actual.Count == 0) throw new ArgumentException("Classification metrics need at least one example; the split is empty.");
        var k = labels.Count;
        Labels = labels;
        Counts = new int[k, k];
        for (int i = 0; i < actual.Count; i++)
        {
            if ((uint)actual[i] >= k || (uint)predicted[i] >= k)
                throw new ArgumentException($"Example {i} has class ({actual[i]}, predicted {predicted[i]}) outside [0, {k}); the labels are {string.Join(", ", labels)}.");
            Counts[actual[i], predicted[i]]++;
        }
        Total = actual.Count;
        int correct = 0, falsePositives = 0, falseNegatives = 0;
        var perClass = new List<ClassScores>(k);
        for (int c = 0; c < k; c++)
        {
            int tp = Counts[c, c], predictedAs = 0, support = 0;
            for (int j = 0; j < k; j++) { predictedAs += Counts[j, c]; support += Counts[c, j]; }
            var precision = Ratio(tp, predictedAs);
            var recall = Ratio(tp, support);
            perClass.Add(new ClassScores(labels[c], precision, recall, F1(precision, recall), support));
            correct += tp;
            falsePositives += predictedAs - tp;
            falseNegatives += support - tp;
        }
        PerClass = perClass;
        Accuracy = Ratio(correct, Total);
        MicroPrecision = Ratio(correct, correct + falsePositives);
        MicroRecall = Ratio(correct, correct + falseNegatives);
    }

    /// <summary>n / d, or 0 when d is 0 (scikit-learn's zero_division=0).</summary>
    public static double Ratio(int numerator, int denominator) => denominator == 0 ? 0.0 : (double)numerator / denominator;

    /// <summary>The harmonic mean 2PR / (P + R), or 0 when P + R is 0.</summary>
    public static double F1(double precision, double recall) => precision + recall == 0 ? 0.0 : 2 * precision * recall / (precision + recall);

    /// <summary>The confusion matrix as fixed-width text: one row per true class, one column per prediction.</summary>
    public string ConfusionTable()
    {
        var width = Math.Max(Labels.Max(l => l.Length), Counts.Cast<int>().Max().ToString(CultureInfo.InvariantCulture).Length) + 2;
        var text = new StringBuilder();
        text.Append("actual \\ predicted".PadRight(20));
        foreach (var label in Labels) text.Append(label.PadLeft(width));
        text.AppendLine();
        for (int i = 0; i < Labels.Count; i++)
        {
            text.Append(Labels[i].PadRight(20));
            for (int j = 0; j < Labels.Count; j++) text.Append(Counts[i, j].ToString(CultureInfo.InvariantCulture).PadLeft(width));
            text.AppendLine();
        }
        return text.ToString();
    }

    /// <summary>The numbers a run's summary.json records.</summary>
    public object Summary() => new
    {
        accuracy = Accuracy, macro_precision = MacroPrecision, macro_recall = MacroRecall, macro_f1 = MacroF1,
        micro_precision = MicroPrecision, micro_recall = MicroRecall, micro_f1 = MicroF1, examples = Total,
        per_class = PerClass.Select(c => new { label = c.Label, precision = c.Precision, recall = c.Recall, f1 = c.F1, support = c.Support }),
        labels = Labels,
        confusion = Enumerable.Range(0, Labels.Count).Select(i => Enumerable.Range(0, Labels.Count).Select(j => Counts[i, j]).ToArray()),
    };
}
