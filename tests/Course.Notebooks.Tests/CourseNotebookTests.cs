namespace Course.Notebooks.Tests;

/// <summary>
/// Runs every notebooks/*.ipynb of the repository, one theory case each, with the parameters cells' own
/// CPU-tiny defaults, as CI runs them; COURSE_NOTEBOOK_PARAMS ("Name=Value;...") overrides them for a local experiment.
/// Executed copies go to a temp folder; the committed notebooks are never rewritten.
/// </summary>
public sealed class CourseNotebookTests
{
    public static string NotebooksFolder => Path.Combine(RepositoryRoot.Path, "notebooks");

    public static IEnumerable<object[]> Notebooks() =>
        Directory.GetFiles(NotebooksFolder, "*.ipynb").Order().Select(p => new object[] { Path.GetFileName(p) });

    [Theory]
    [MemberData(nameof(Notebooks))]
    public async Task Notebook_runs_without_errors(string name)
    {
        using var output = new TempFolder();
        var parameters = (Environment.GetEnvironmentVariable("COURSE_NOTEBOOK_PARAMS") ?? "")
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var result = await NotebookRunner.RunOneAsync(Path.Combine(NotebooksFolder, name),
            new RunOptions { OutputDirectory = output.Path, Parameters = RunOptions.ParseParameters(parameters) });
        Assert.True(result.Succeeded, result.Summary);
    }
}
