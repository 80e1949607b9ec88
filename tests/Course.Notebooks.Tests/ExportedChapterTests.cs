namespace Course.Notebooks.Tests;

/// <summary>
/// Every chapter exported as a .NET 10 file-based app and run with `dotnet run`, from the notebooks folder as a
/// notebook runs there: the third way to run a chapter, for readers who prefer an editor. One theory, so the apps,
/// which all build the course library, build one after another into one artifacts folder.
/// </summary>
public sealed class ExportedChapterTests(ExportedChapterTests.Artifacts artifacts) : IClassFixture<ExportedChapterTests.Artifacts>
{
    [Theory]
    [MemberData(nameof(CourseNotebookTests.Notebooks), MemberType = typeof(CourseNotebookTests))]
    public async Task Chapter_runs_as_a_file_based_app(string name)
    {
        using var folder = new TempFolder();
        var program = NotebookExporter.Export(Path.Combine(CourseNotebookTests.NotebooksFolder, name), folder[Path.ChangeExtension(name, ".cs")]);
        var run = await ChildProcess.RunAsync("dotnet", ["run", "--artifacts-path", artifacts.Path, program],
            TimeSpan.FromMinutes(15), CourseNotebookTests.NotebooksFolder);
        Assert.True(run.ExitCode == 0, $"dotnet run {Path.GetFileName(program)} failed ({run.ExitCode}):\n{run.Output}");
    }

    /// <summary>The artifacts folder the apps share (deleted after the last one), so the course library is compiled
    /// once and TorchSharp's native libraries (about a gigabyte, three platforms) are copied once.</summary>
    public sealed class Artifacts : IDisposable
    {
        private readonly TempFolder _folder = new();

        public string Path => _folder.Path;

        public void Dispose() => _folder.Dispose();
    }
}
