using Course.Models;
using static TorchSharp.torch;

namespace Course.Tests.Exercises;

public class Chapter11CheckerTests
{
    [Fact]
    public void LayerNorm_is_not_yet_RMSNorm_and_the_right_answers_are_correct()
    {
        var wrong = Course.Exercises.Chapter11.Check(ropeScore: Math.Cos(10), rmsNorm: x => nn.functional.layer_norm(x, [x.shape[^1]]));
        Assert.Equal(ExerciseStatus.NotYet, wrong.Results.Single(r => r.Number == 3).Status);
        Assert.Equal(ExerciseStatus.NotYet, wrong.Results.Single(r => r.Number == 4).Status);

        var right = Course.Exercises.Chapter11.Check(2L * 12 * 12 * 2048 * 64 * 4, 3L * 128 * 344, Math.Cos(4),
            x => new RmsNorm(x.shape[^1]).call(x), x => new Course.Attention.RotaryEmbedding(x.shape[^1], x.shape[0]).Rotate(x));
        Assert.All(right.Results, r => Assert.Equal(ExerciseStatus.Correct, r.Status));
    }
}
