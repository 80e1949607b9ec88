using static TorchSharp.torch;

namespace Course.Tests.Exercises;

public class ExerciseReportTests
{
    [Fact]
    public void Unanswered_right_and_wrong_answers_get_their_verdicts_without_throwing()
    {
        var report = new ExerciseReport("99")
            .Number(1, "a count", null, 42)
            .Number(2, "a count", 42, 42)
            .Number(3, "a rate", 0.52, 0.5, tolerance: 0.01)
            .Word(4, "a word", " Previous ", "previous", "the previous token")
            .Judge<Func<int, int>>(5, "code", _ => throw new InvalidOperationException("first line\nC++ stack"), f => f(1) == 2 ? null : "wrong");

        Assert.Equal([ExerciseStatus.NotAttempted, ExerciseStatus.Correct, ExerciseStatus.NotYet, ExerciseStatus.Correct, ExerciseStatus.NotYet],
            report.Results.Select(r => r.Status));
        Assert.Equal("0.52 is not it (the check allows ±0.01)", report.Results[2].Detail);
        Assert.Equal("your code threw InvalidOperationException: first line", report.Results[4].Detail);
        var e = Assert.Throws<ClaimFailedException>(() => report.RequireAllCorrect());
        Assert.Contains("not: 1 (replace null with your answer); 3 (0.52 is not it", e.Message);
        Assert.Contains("99.2 a count", report.ToString());
    }

    [Fact]
    public void Verdicts_are_recorded_for_course_check_when_the_variable_names_a_file()
    {
        var file = Path.Combine(Course.Testing.TestFolders.New(), "verdicts.jsonl");
        Environment.SetEnvironmentVariable(ExerciseReport.ReportFileVariable, file);
        try { new ExerciseReport("07").Number(1, "a count", 3, 3).Number(2, "another", null, 1); }
        finally { Environment.SetEnvironmentVariable(ExerciseReport.ReportFileVariable, null); }

        Assert.Equal([new ExerciseResult("07", 1, "a count", ExerciseStatus.Correct, "correct"),
                      new ExerciseResult("07", 2, "another", ExerciseStatus.NotAttempted, "replace null with your answer")],
            ExerciseReport.ReadRecorded(file));
    }

    [Fact]
    public void Chapter13s_checker_accepts_the_right_answers_and_names_what_is_wrong()
    {
        Tensor ByLibrary(Tensor x, Tensor w, Tensor b) => nn.functional.conv2d(x, w, b, padding: [1, 1]);
        Tensor WithoutPadding(Tensor x, Tensor w, Tensor b) => nn.functional.conv2d(x, w, b);
        var right = Course.Exercises.Chapter13.Check(23_274, 1_024, 319_178, ByLibrary);
        Assert.Equal(4, right.Results.Count(r => r.Status == ExerciseStatus.Correct));

        var wrong = Course.Exercises.Chapter13.Check(18_506, convolutionByUnfold: WithoutPadding);
        Assert.Equal("18506 is not it", wrong.Results[0].Detail);
        Assert.Equal("the shape is [2, 4, 5, 5], expected [2, 4, 7, 7]", wrong.Results[3].Detail);
    }
}
