using Course.Experiments;

namespace Course.Tests.Exercises;

public class Chapter10CheckerTests
{
    [Fact]
    public void A_grid_in_the_wrong_order_is_not_yet_and_the_library_s_grid_is_correct()
    {
        var wrong = Course.Exercises.Chapter10.Check(gridWithThreeDropouts: 72, grid: space => space.Grid().Reverse());
        Assert.Equal(ExerciseStatus.NotYet, wrong.Results.Single(r => r.Number == 1).Status);
        Assert.Equal(ExerciseStatus.NotYet, wrong.Results.Single(r => r.Number == 5).Status);

        var right = Course.Exercises.Chapter10.Check(108, 4 * (1 - Math.Pow(0.75, 8)), 59, space => space.Grid());
        Assert.All(right.Results, r => Assert.Equal(ExerciseStatus.Correct, r.Status));
    }
}
