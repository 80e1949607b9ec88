using static TorchSharp.torch;

namespace Course.Tests.Exercises;

public class Chapter01CheckerTests
{
    [Fact]
    public void The_scaled_weight_is_not_yet_for_the_unscaled_question_and_the_unscaled_one_is_correct()
    {
        // Row 0's scores are (2, 0, 1) unscaled and (1, 0, 0.5) scaled by √4.
        double Softmax0(double a, double b, double c) => Math.Exp(a) / (Math.Exp(a) + Math.Exp(b) + Math.Exp(c));
        Assert.Equal(ExerciseStatus.NotYet, Course.Exercises.Chapter01.Check(unscaledWeight: Softmax0(1, 0, 0.5)).Results.Single(r => r.Status != ExerciseStatus.NotAttempted).Status);
        Assert.Equal(ExerciseStatus.Correct, Course.Exercises.Chapter01.Check(unscaledWeight: Softmax0(2, 0, 1)).Results.Single(r => r.Status != ExerciseStatus.NotAttempted).Status);
    }

    [Fact]
    public void Attention_that_ignores_the_mask_is_not_yet()
    {
        Tensor Attend(Tensor q, Tensor k, Tensor v, Tensor? mask)
        {
            var scores = q.matmul(k.transpose(-2, -1)) / Math.Sqrt(q.size(-1));
            if (mask is not null) scores = scores.masked_fill(mask.logical_not(), double.NegativeInfinity);
            return scores.softmax(-1).matmul(v);
        }
        Assert.Equal(ExerciseStatus.NotYet, Course.Exercises.Chapter01.Check(maskedAttention: (q, k, v, _) => Attend(q, k, v, null)).Results.Single(r => r.Status != ExerciseStatus.NotAttempted).Status);
        Assert.Equal(ExerciseStatus.Correct, Course.Exercises.Chapter01.Check(maskedAttention: (q, k, v, m) => Attend(q, k, v, m)).Results.Single(r => r.Status != ExerciseStatus.NotAttempted).Status);
    }
}
