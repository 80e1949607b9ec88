namespace Course.Tests.Exercises;

public class Chapter07CheckerTests
{
    [Fact]
    public void Top_p_keeps_two_of_the_worked_logits_and_three_is_not_yet()
    {
        Assert.Equal(ExerciseStatus.NotYet, Course.Exercises.Chapter07.Check(keptByTopP08: 3).Results.Single(r => r.Status != ExerciseStatus.NotAttempted).Status);
        Assert.Equal(ExerciseStatus.Correct, Course.Exercises.Chapter07.Check(keptByTopP08: 2).Results.Single(r => r.Status != ExerciseStatus.NotAttempted).Status);
    }

    [Fact]
    public void Perplexity_is_e_to_the_loss_not_two_to_it()
    {
        Assert.Equal(ExerciseStatus.NotYet, Course.Exercises.Chapter07.Check(perplexityAt1Point5: Math.Pow(2, 1.5)).Results.Single(r => r.Status != ExerciseStatus.NotAttempted).Status);
        Assert.Equal(ExerciseStatus.Correct, Course.Exercises.Chapter07.Check(perplexityAt1Point5: Math.Exp(1.5)).Results.Single(r => r.Status != ExerciseStatus.NotAttempted).Status);
    }
}
