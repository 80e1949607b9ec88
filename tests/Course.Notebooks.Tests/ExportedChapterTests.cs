namespace Course.Notebooks.Tests;

/// <summary>
/// Every chapter exported as a .NET 10 file-based app and run with `dotnet run`, from the notebooks folder as a
/// notebook runs there: the third way to run a chapter, for readers who prefer an editor. One theory, so the apps,
/// which all build the course library, build one after another.
/// </summary>
public sealed class ExportedChapterTests
{
    [Theory]
    [MemberData(nameof(CourseNotebookTests.Notebooks), MemberType = typeof(CourseNotebookTests))]
    public async Task Chapter_runs_as_a_file_based_app(string name)
    {
        using var folder = new TempFolder();
        var program = NotebookExporter.Export(Path.Combine(CourseNotebookTests.NotebooksFolder, name), folder[Path.ChangeExtension(name, ".cs")]);
        // The build goes into the temp folder, deleted after each chapter: left in dotnet's own cache, each
        // chapter's build (TorchSharp's native libraries for three platforms) would keep about a gigabyte.
        var run = await ChildProcess.RunAsync("dotnet", ["run", "--artifacts-path", folder["build"], program],
            TimeSpan.FromMinutes(15), CourseNotebookTests.NotebooksFolder);
        Assert.True(run.ExitCode == 0, $"dotnet run {Path.GetFileName(program)} failed ({run.ExitCode}):\n{run.Output}");
    }
}
