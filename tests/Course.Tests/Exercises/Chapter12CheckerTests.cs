using Course.FineTuning.Instructions;

namespace Course.Tests.Exercises;

public class Chapter12CheckerTests
{
    [Fact]
    public void Counting_the_head_or_the_prompt_is_not_yet_and_the_right_answers_are_correct()
    {
        var wrong = Course.Exercises.Chapter12.Check(loraWeights: 65_536 + 128 * 5 + 5, countedTargets: 98 - 1,
            tokenF1: (p, t) => p == t ? 1 : 0);
        Assert.All(wrong.Results, r => Assert.Equal(ExerciseStatus.NotYet, r.Status));

        var right = Course.Exercises.Chapter12.Check(loraWeights: 16L * 8 * 128 * 4, countedTargets: Course.Exercises.Chapter12.Summary.Length + 1,
            tokenF1: AnswerOverlap.F1);
        Assert.All(right.Results, r => Assert.Equal(ExerciseStatus.Correct, r.Status));
    }
}
