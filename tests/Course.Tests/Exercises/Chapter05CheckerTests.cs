using Course.Data;

namespace Course.Tests.Exercises;

public class Chapter05CheckerTests
{
    [Fact]
    public void A_wrong_shard_size_is_not_yet_and_the_right_one_correct()
    {
        Assert.Equal(ExerciseStatus.NotYet, Course.Exercises.Chapter05.Check(o200kShardBytes: 2_000_032).Results.Single(r => r.Status != ExerciseStatus.NotAttempted).Status);
        Assert.Equal(ExerciseStatus.Correct, Course.Exercises.Chapter05.Check(o200kShardBytes: 4_000_032).Results.Single(r => r.Status != ExerciseStatus.NotAttempted).Status);
    }

    [Fact]
    public void The_library_trainer_passes_the_BPE_exercise_and_one_merge_short_does_not()
    {
        var right = Course.Exercises.Chapter05.Check(trainMerges: (text, n) => BpeTrainer.Train(text, 256 + n));
        var wrong = Course.Exercises.Chapter05.Check(trainMerges: (text, n) => BpeTrainer.Train(text, 256 + n - 1));
        Assert.Equal(ExerciseStatus.Correct, right.Results.Single(r => r.Status != ExerciseStatus.NotAttempted).Status);
        Assert.Equal(ExerciseStatus.NotYet, wrong.Results.Single(r => r.Status != ExerciseStatus.NotAttempted).Status);
    }
}
