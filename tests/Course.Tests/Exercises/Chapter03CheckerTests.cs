using static TorchSharp.torch;

namespace Course.Tests.Exercises;

public class Chapter03CheckerTests
{
    [Fact]
    public void Delta_with_the_label_0_is_y_hat_and_not_y_hat_minus_1()
    {
        var yHat = 1 / (1 + Math.Exp(-0.52));   // the chapter's prediction, which the label does not change
        Assert.Equal(ExerciseStatus.NotYet, Course.Exercises.Chapter03.Check(deltaWithLabel0: yHat - 1).Results.Single(r => r.Status != ExerciseStatus.NotAttempted).Status);
        Assert.Equal(ExerciseStatus.Correct, Course.Exercises.Chapter03.Check(deltaWithLabel0: yHat).Results.Single(r => r.Status != ExerciseStatus.NotAttempted).Status);
    }

    [Fact]
    public void The_logistic_gradient_must_be_the_mean_over_examples()
    {
        Tensor Sum(Tensor x, Tensor y, Tensor w) => x.T.matmul(x.matmul(w).sigmoid() - y);
        Tensor Mean(Tensor x, Tensor y, Tensor w) => Sum(x, y, w) / x.shape[0];
        Assert.Equal(ExerciseStatus.NotYet, Course.Exercises.Chapter03.Check(logisticGradient: Sum).Results.Single(r => r.Status != ExerciseStatus.NotAttempted).Status);
        Assert.Equal(ExerciseStatus.Correct, Course.Exercises.Chapter03.Check(logisticGradient: Mean).Results.Single(r => r.Status != ExerciseStatus.NotAttempted).Status);
    }
}
