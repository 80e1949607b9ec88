using Course.Models;
using static TorchSharp.torch;

namespace Course.Tests.Exercises;

public class Chapter04CheckerTests
{
    [Fact]
    public void Dropout_without_the_rescaling_is_not_yet()
    {
        Assert.Equal(ExerciseStatus.NotYet, Course.Exercises.Chapter04.Check(keptActivation: 3).Results.Single(r => r.Status != ExerciseStatus.NotAttempted).Status);
        Assert.Equal(ExerciseStatus.Correct, Course.Exercises.Chapter04.Check(keptActivation: 3 / (1 - 0.25)).Results.Single(r => r.Status != ExerciseStatus.NotAttempted).Status);
    }

    [Fact]
    public void The_residual_std_is_scaled_by_the_depth()
    {
        Assert.Equal(ExerciseStatus.NotYet, Course.Exercises.Chapter04.Check(residualStd: 0.02).Results.Single(r => r.Status != ExerciseStatus.NotAttempted).Status);
        Assert.Equal(ExerciseStatus.Correct, Course.Exercises.Chapter04.Check(residualStd: 0.02 / Math.Sqrt(2 * 12)).Results.Single(r => r.Status != ExerciseStatus.NotAttempted).Status);
    }

    [Fact]
    public void A_block_without_its_residual_paths_is_not_yet_and_the_library_block_is_correct()
    {
        Assert.Equal(ExerciseStatus.NotYet, Course.Exercises.Chapter04.Check(blockByHand: (block, x) => block.forward(x) - x).Results.Single(r => r.Status != ExerciseStatus.NotAttempted).Status);
        Assert.Equal(ExerciseStatus.Correct, Course.Exercises.Chapter04.Check(blockByHand: (block, x) => block.forward(x)).Results.Single(r => r.Status != ExerciseStatus.NotAttempted).Status);
    }
}
