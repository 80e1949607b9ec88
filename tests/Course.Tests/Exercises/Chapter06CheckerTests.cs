using static TorchSharp.torch;

namespace Course.Tests.Exercises;

public class Chapter06CheckerTests
{
    [Fact]
    public void A_wrong_first_loss_is_not_yet_and_ln_65_correct()
    {
        Assert.Equal(ExerciseStatus.NotYet, Course.Exercises.Chapter06.Check(firstLossForV65: Math.Log(103)).Results.Single(r => r.Status != ExerciseStatus.NotAttempted).Status);
        Assert.Equal(ExerciseStatus.Correct, Course.Exercises.Chapter06.Check(firstLossForV65: Math.Log(65)).Results.Single(r => r.Status != ExerciseStatus.NotAttempted).Status);
    }

    [Fact]
    public void Clipping_each_tensor_on_its_own_is_not_yet_and_by_global_norm_correct()
    {
        Tensor[] Global(Tensor[] g, double c)
        {
            var norm = Math.Sqrt(g.Sum(t => t.square().sum().item<float>()));
            return g.Select(t => t * Math.Min(1, c / norm)).ToArray();
        }
        Tensor[] EachOnItsOwn(Tensor[] g, double c) => g.Select(t => t * Math.Min(1, c / t.norm().item<float>())).ToArray();
        Assert.Equal(ExerciseStatus.Correct, Course.Exercises.Chapter06.Check(clip: Global).Results.Single(r => r.Status != ExerciseStatus.NotAttempted).Status);
        Assert.Equal(ExerciseStatus.NotYet, Course.Exercises.Chapter06.Check(clip: EachOnItsOwn).Results.Single(r => r.Status != ExerciseStatus.NotAttempted).Status);
    }
}
