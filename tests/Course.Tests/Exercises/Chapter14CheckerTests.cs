using static TorchSharp.torch;

namespace Course.Tests.Exercises;

public class Chapter14CheckerTests
{
    [Fact]
    public void A_single_scale_for_the_whole_matrix_is_not_yet_and_per_row_scales_are_correct()
    {
        var wrong = Course.Exercises.Chapter14.Check(largestRoundingError: 0.5 / 127,
            roundTrip: w => { var s = w.abs().max() / 127; return (w / s).round() * s; });
        Assert.Equal(ExerciseStatus.NotYet, wrong.Results.Single(r => r.Number == 3).Status);
        Assert.Equal(ExerciseStatus.NotYet, wrong.Results.Single(r => r.Number == 4).Status);

        var right = Course.Exercises.Chapter14.Check(largestRoundingError: 0.5 / 254,
            roundTrip: w => { var s = w.abs().amax([1], keepdim: true) / 127; return (w / s).round().clamp(-127, 127) * s; });
        Assert.Equal(ExerciseStatus.Correct, right.Results.Single(r => r.Number == 3).Status);
        Assert.Equal(ExerciseStatus.Correct, right.Results.Single(r => r.Number == 4).Status);
    }
}
