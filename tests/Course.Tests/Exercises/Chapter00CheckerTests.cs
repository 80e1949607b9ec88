using static TorchSharp.torch;

namespace Course.Tests.Exercises;

public class Chapter00CheckerTests
{
    [Fact]
    public void A_wrong_shape_is_not_yet_and_the_broadcast_shape_is_correct()
    {
        Assert.Equal(ExerciseStatus.NotYet, Course.Exercises.Chapter00.Check(broadcastShape: [2, 1, 3]).Results.Single(r => r.Status != ExerciseStatus.NotAttempted).Status);
        Assert.Equal(ExerciseStatus.Correct, Course.Exercises.Chapter00.Check(broadcastShape: [2, 4, 3]).Results.Single(r => r.Status != ExerciseStatus.NotAttempted).Status);
    }

    [Fact]
    public void A_variance_that_leaves_its_intermediates_alive_is_not_yet()
    {
        Tensor Leaky(Tensor x) => (x - x.mean()).pow(2).mean();
        Tensor Scoped(Tensor x)
        {
            using var scope = NewDisposeScope();
            return (x - x.mean()).pow(2).mean().MoveToOuterDisposeScope();
        }
        var leaky = Course.Exercises.Chapter00.Check(varianceInScope: Leaky).Results.Single(r => r.Status != ExerciseStatus.NotAttempted);
        Assert.Equal(ExerciseStatus.NotYet, leaky.Status);
        Assert.Contains("outlive", leaky.Detail);
        Assert.Equal(ExerciseStatus.Correct, Course.Exercises.Chapter00.Check(varianceInScope: Scoped).Results.Single(r => r.Status != ExerciseStatus.NotAttempted).Status);
    }
}
