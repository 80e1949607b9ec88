using static TorchSharp.torch;

namespace Course.Tests.Exercises;

public class Chapter02CheckerTests
{
    [Fact]
    public void The_count_with_biases_is_not_yet_and_the_count_without_is_correct()
    {
        const long d = 64;
        Assert.Equal(ExerciseStatus.NotYet, Course.Exercises.Chapter02.Check(parametersWithoutBias: 4 * d * d + 4 * d).Results.Single(r => r.Status != ExerciseStatus.NotAttempted).Status);
        Assert.Equal(ExerciseStatus.Correct, Course.Exercises.Chapter02.Check(parametersWithoutBias: 4 * d * d).Results.Single(r => r.Status != ExerciseStatus.NotAttempted).Status);
    }

    [Fact]
    public void Splitting_the_heads_with_a_plain_view_is_not_yet()
    {
        // view(B, h, T, d_k) reads the memory in the wrong order; view(B, T, h, d_k) then transpose is the split.
        Tensor Wrong(Tensor x, long heads) => x.view(x.shape[0], heads, x.shape[1], x.shape[2] / heads);
        Tensor Right(Tensor x, long heads) => x.view(x.shape[0], x.shape[1], heads, x.shape[2] / heads).transpose(1, 2);
        Assert.Equal(ExerciseStatus.NotYet, Course.Exercises.Chapter02.Check(splitHeads: Wrong).Results.Single(r => r.Status != ExerciseStatus.NotAttempted).Status);
        Assert.Equal(ExerciseStatus.Correct, Course.Exercises.Chapter02.Check(splitHeads: Right).Results.Single(r => r.Status != ExerciseStatus.NotAttempted).Status);
    }
}
