namespace Course.Notebooks.Tests;

/// <summary>
/// Runs every notebooks/solutions/*.ipynb, the worked solutions to the chapters' exercises, in the headless runner
/// with their parameters cells' CPU-tiny defaults: a solution whose answer is wrong fails its own checks.
/// </summary>
public sealed class SolutionNotebookTests
{
    public static string SolutionsFolder => Path.Combine(CourseNotebookTests.NotebooksFolder, "solutions");

    public static IEnumerable<object[]> Solutions() =>
        Directory.GetFiles(SolutionsFolder, "*.ipynb").Order().Select(p => new object[] { Path.GetFileName(p) });

    [Theory]
    [MemberData(nameof(Solutions))]
    public async Task Solution_runs_and_its_checks_hold(string name)
    {
        using var output = new TempFolder();
        var result = await NotebookRunner.RunOneAsync(Path.Combine(SolutionsFolder, name), new RunOptions { OutputDirectory = output.Path });
        Assert.True(result.Succeeded, result.Summary);
    }

    [Fact]
    public void Every_chapter_with_exercises_has_its_solutions()
    {
        var chapters = Directory.GetFiles(CourseNotebookTests.NotebooksFolder, "*.ipynb")
            .Where(p => File.ReadAllText(p).Contains("## Exercises")).Select(Path.GetFileName);
        Assert.All(chapters, chapter => Assert.True(File.Exists(Path.Combine(SolutionsFolder, chapter!)), $"{chapter} has exercises but no solutions/{chapter}"));
    }
}
