namespace Course.Notebooks.Tests.Jupyter;

/// <summary>
/// Every chapter, unchanged, in the official .NET Interactive C# kernel (Microsoft.dotnet-interactive 1.0.712001),
/// executed by Jupyter's own client as `jupyter nbconvert --execute` would: no error output anywhere.
/// </summary>
public sealed class OfficialKernelTests
{
    [Theory]
    [MemberData(nameof(CourseNotebookTests.Notebooks), MemberType = typeof(CourseNotebookTests))]
    public async Task Chapter_runs_in_the_official_kernel(string name)
    {
        using var output = new TempFolder();
        var (exitCode, log) = await JupyterTools.ExecuteAsync(Path.Combine(CourseNotebookTests.NotebooksFolder, name),
            JupyterTools.OfficialKernel, output.Path, TimeSpan.FromMinutes(15));
        Assert.True(exitCode == 0, $"nbconvert exited with {exitCode}:\n{log}");
        Assert.Empty(JupyterTools.Errors(output[name]));
    }
}
