using Course.Evaluation;

namespace Course.Tests.FineTuning;

public class ClassificationMetricsTests
{
    private static readonly string[] Labels = ["a", "b", "c"];

    [Fact]
    public void Scores_match_hand_computed_values()
    {
        // actual:    a a a b b c
        // predicted: a a b b c c
        // Confusion (rows actual, columns predicted): a: [2,1,0]  b: [0,1,1]  c: [0,0,1]
        var m = new ClassificationMetrics([0, 0, 0, 1, 1, 2], [0, 0, 1, 1, 2, 2], Labels);
        Assert.Equal(new[,] { { 2, 1, 0 }, { 0, 1, 1 }, { 0, 0, 1 } }, m.Counts);
        Assert.Equal(4.0 / 6, m.Accuracy, 12); // 2 + 1 + 1 correct of 6
        // a: P = 2/2 = 1, R = 2/3, F1 = 2·1·(2/3)/(1 + 2/3) = 0.8
        // b: P = 1/2, R = 1/2, F1 = 0.5
        // c: P = 1/2, R = 1/1, F1 = 2·0.5·1/1.5 = 2/3
        Assert.Equal([1.0, 0.5, 0.5], m.PerClass.Select(c => c.Precision).ToArray());
        Assert.Equal([2.0 / 3, 0.5, 1.0], m.PerClass.Select(c => c.Recall).ToArray());
        Assert.Equal(0.8, m.PerClass[0].F1, 12);
        Assert.Equal(0.5, m.PerClass[1].F1, 12);
        Assert.Equal(2.0 / 3, m.PerClass[2].F1, 12);
        Assert.Equal([3, 2, 1], m.PerClass.Select(c => c.Support).ToArray());
        Assert.Equal(2.0 / 3, m.MacroPrecision, 12);          // (1 + 0.5 + 0.5) / 3
        Assert.Equal((2.0 / 3 + 0.5 + 1) / 3, m.MacroRecall, 12); // 13/18
        Assert.Equal((0.8 + 0.5 + 2.0 / 3) / 3, m.MacroF1, 12);   // 0.6556
        // Micro: TP 4, FP 2, FN 2 → P = R = F1 = 4/6, the accuracy.
        Assert.Equal(4.0 / 6, m.MicroPrecision, 12);
        Assert.Equal(4.0 / 6, m.MicroRecall, 12);
        Assert.Equal(4.0 / 6, m.MicroF1, 12);
    }

    [Fact]
    public void Classes_never_predicted_or_never_present_score_zero_not_nan()
    {
        // actual:    a a b b   (c never present)
        // predicted: a a a a   (b and c never predicted)
        var m = new ClassificationMetrics([0, 0, 1, 1], [0, 0, 0, 0], Labels);
        // a: P = 2/4 = 0.5, R = 2/2 = 1, F1 = 2·0.5·1/1.5 = 2/3
        Assert.Equal(0.5, m.PerClass[0].Precision, 12);
        Assert.Equal(2.0 / 3, m.PerClass[0].F1, 12);
        // b: never predicted → P = 0/0 := 0; R = 0/2 = 0; F1 = 0.  c: P = 0/0 := 0, R = 0/0 := 0, F1 = 0.
        Assert.All(m.PerClass.Skip(1), c => Assert.Equal((0.0, 0.0, 0.0), (c.Precision, c.Recall, c.F1)));
        // Macro counts the empty classes: F1 (2/3 + 0 + 0) / 3 = 2/9.
        Assert.Equal(2.0 / 9, m.MacroF1, 12);
        Assert.Equal(0.5, m.Accuracy, 12);
    }

    [Fact]
    public void Confusion_table_has_a_row_per_actual_class()
    {
        var m = new ClassificationMetrics([0, 1, 2], [0, 2, 2], Labels);
        var lines = m.ConfusionTable().TrimEnd().Split('\n');
        Assert.Equal(4, lines.Length);
        Assert.Equal(["b", "0", "0", "1"], lines[2].Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Mismatched_or_out_of_range_input_is_refused_with_the_reason()
    {
        Assert.Contains("one prediction per example", Assert.Throws<ArgumentException>(() => new ClassificationMetrics([0, 1], [0], Labels)).Message);
        Assert.Contains("outside [0, 3)", Assert.Throws<ArgumentException>(() => new ClassificationMetrics([0, 3], [0, 0], Labels)).Message);
        Assert.Contains("empty", Assert.Throws<ArgumentException>(() => new ClassificationMetrics([], [], Labels)).Message);
    }
}
