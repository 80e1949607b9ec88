using Course.Evaluation;

namespace Course.Tests.Exercises;

public class Chapter09CheckerTests
{
    [Fact]
    public void A_wrong_head_count_is_not_yet_and_the_right_macro_F1_is_correct()
    {
        var report = Course.Exercises.Chapter09.Check(headWeightsOnCpuSmall: 165,
            macroF1: (actual, predicted, classes) => new ClassificationMetrics(actual, predicted, Enumerable.Range(0, classes).Select(c => $"{c}").ToArray()).MacroF1);
        Assert.Equal(ExerciseStatus.NotYet, report.Results.Single(r => r.Number == 2).Status);
        Assert.Equal(ExerciseStatus.Correct, report.Results.Single(r => r.Number == 5).Status);
        Assert.Equal(ExerciseStatus.NotAttempted, report.Results.Single(r => r.Number == 1).Status);
    }

    [Fact]
    public void The_right_numbers_are_correct()
    {
        var report = Course.Exercises.Chapter09.Check(macroF1AfterFix: (0.8 + 4.0 / 7 + 2.0 / 3) / 3, headWeightsOnCpuSmall: 128 * 5 + 5,
            majorityMacroF1: 2 * 0.681 / 1.681 / 5);
        Assert.All(report.Results.Where(r => r.Number <= 3), r => Assert.Equal(ExerciseStatus.Correct, r.Status));
    }
}
