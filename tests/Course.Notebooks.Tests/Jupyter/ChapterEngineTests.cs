namespace Course.Notebooks.Tests.Jupyter;

/// <summary>
/// Every chapter, unchanged, executed by Jupyter's own client (nbconvert, nbclient underneath) in each C# kernel a
/// learner can pick: the course's own, and the official .NET Interactive kernel (Microsoft.dotnet-interactive
/// 1.0.712001). A chapter passes when nbconvert succeeds and no cell has an error output.
/// </summary>
public sealed class ChapterEngineTests
{
    [Theory]
    [MemberData(nameof(CourseNotebookTests.Notebooks), MemberType = typeof(CourseNotebookTests))]
    public Task Chapter_runs_in_the_course_kernel(string name) => RunsIn(JupyterTools.CourseKernel, name);

    [Theory]
    [MemberData(nameof(CourseNotebookTests.Notebooks), MemberType = typeof(CourseNotebookTests))]
    public Task Chapter_runs_in_the_official_kernel(string name) => RunsIn(JupyterTools.OfficialKernel, name);

    private static async Task RunsIn(string kernel, string name)
    {
        using var output = new TempFolder();
        var (exitCode, log) = await JupyterTools.ExecuteAsync(Path.Combine(CourseNotebookTests.NotebooksFolder, name), kernel, output.Path, TimeSpan.FromMinutes(15));
        Assert.True(exitCode == 0, $"nbconvert with kernel {kernel} exited with {exitCode}:\n{log}");
        Assert.Empty(JupyterTools.Errors(output[name]));
    }
}
