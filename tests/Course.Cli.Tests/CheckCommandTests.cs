using System.Text.Json.Nodes;
using Course.Testing;
using static Course.Cli.Tests.PretrainErrorTests;

namespace Course.Cli.Tests;

/// <summary>`course check`: a learner's copy of chapter 13 with some answers filled in, run as the learner runs it.</summary>
public class CheckCommandTests
{
    private static readonly string Chapter = Path.Combine(RepositoryRoot.Path, "notebooks", "13-convolutional-networks.ipynb");

    /// <summary>A copy of chapter 13 whose exercises cell has <paramref name="answers"/> (variable → C# expression) filled in.</summary>
    private static string Attempt(params (string Variable, string Answer)[] answers)
    {
        var notebook = JsonNode.Parse(File.ReadAllText(Chapter))!;
        var cell = notebook["cells"]!.AsArray().Last(c => c!["source"]!.ToString().Contains("Exercises.Chapter13.Check"))!;
        var source = cell["source"]!.ToString();
        foreach (var (variable, answer) in answers)
        {
            var blank = $"{variable} = null;";
            Assert.Contains(blank, source);
            source = source.Replace(blank, $"{variable} = {answer};");
        }
        cell["source"] = source;
        var path = Path.Combine(TempDirectory(), "13-my-attempt.ipynb");
        File.WriteAllText(path, notebook.ToJsonString());
        return path;
    }

    [Fact]
    public void A_partial_attempt_gets_a_verdict_per_exercise_and_fails()
    {
        var path = Attempt(("exercise1", "23_274"), ("exercise2Valid", "1_000"));
        var before = File.ReadAllText(path);
        var (exitCode, output) = CourseProcess.Run("check", path);
        Assert.Equal(1, exitCode);
        Assert.Matches(@"13\.1 parameters with Filters1 = 32\s*│\s*correct", output);
        Assert.Contains("not yet: 1000 is not it", output);
        Assert.Contains("1 of 5 correct, 1 not yet, 3 not attempted.", output);
        Assert.Equal(before, File.ReadAllText(path));
    }

    [Fact]
    public void Right_answers_pass_including_code()
    {
        var path = Attempt(("exercise1", "23_274"), ("exercise2Valid", "1_024"), ("exercise2Padded", "319_178"),
            ("exercise4", "(x, w, b) => nn.functional.conv2d(x, w, b, padding: new long[] { 1, 1 })"),
            ("exercise5", "(x, g) => g.flatten(2).matmul(nn.functional.unfold(x, 3, padding: 1).transpose(1, 2)).sum(dim: 0).reshape(g.shape[1], x.shape[1], 3, 3)"));
        var (exitCode, output) = CourseProcess.Run("check", path);
        Assert.True(exitCode == 0, output);
        Assert.Contains("5 of 5 correct, 0 not yet, 0 not attempted.", output);
    }

    [Fact]
    public void A_chapter_that_does_not_exist_is_named_with_the_ones_that_do()
    {
        var (exitCode, output) = CourseProcess.Run("check", "99", "--notebooks", Path.Combine(RepositoryRoot.Path, "notebooks"));
        Assert.Equal(1, exitCode);
        Assert.Contains("has no chapter 99. Its chapters: 00-setup.ipynb", output);
        var (_, notANumber) = CourseProcess.Run("check", "four");
        Assert.Contains("'four' is neither a chapter number (like 04) nor a notebook (.ipynb).", notANumber);
    }
}
