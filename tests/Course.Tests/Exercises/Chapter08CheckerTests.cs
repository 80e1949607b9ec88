namespace Course.Tests.Exercises;

public class Chapter08CheckerTests
{
    [Fact]
    public void The_bf16_spacing_above_256_is_2_not_1()
    {
        Assert.Equal(ExerciseStatus.NotYet, Course.Exercises.Chapter08.Check(bf16SpacingAt256: 1).Results.Single(r => r.Status != ExerciseStatus.NotAttempted).Status);
        Assert.Equal(ExerciseStatus.Correct, Course.Exercises.Chapter08.Check(bf16SpacingAt256: 2).Results.Single(r => r.Status != ExerciseStatus.NotAttempted).Status);
    }

    [Fact]
    public void The_formula_passes_and_forgetting_attention_does_not()
    {
        var right = Course.Exercises.Chapter08.Check(flopsPerToken: c => 6.0 * c.ParameterCount(includePositions: false) + 12.0 * c.NLayer * c.NEmbd * c.BlockSize);
        var wrong = Course.Exercises.Chapter08.Check(flopsPerToken: c => 6.0 * c.ParameterCount(includePositions: false));
        Assert.Equal(ExerciseStatus.Correct, right.Results.Single(r => r.Status != ExerciseStatus.NotAttempted).Status);
        Assert.Equal(ExerciseStatus.NotYet, wrong.Results.Single(r => r.Status != ExerciseStatus.NotAttempted).Status);
        Assert.Equal(ExerciseStatus.Correct, Course.Exercises.Chapter08.Check(shakespeareTensors: 12 * 6 + 4).Results.Single(r => r.Status != ExerciseStatus.NotAttempted).Status);
    }
}
