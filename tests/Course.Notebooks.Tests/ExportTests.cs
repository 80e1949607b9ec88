namespace Course.Notebooks.Tests;

public sealed class ExportTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Writes_directives_comments_and_a_display_helper()
    {
        var courseDll = Path.Combine(RepositoryRoot.Path, "src/Course/bin/Release/net10.0/Course.dll");
        var path = _folder["chapter.ipynb"];
        new NotebookBuilder()
            .Markdown("# Chapter\nSome prose.")
            .Code($"#!csharp\n#r \"nuget: torchsharp-cpu, 0.107.0\"\n#r \"{courseDll}\"")
            .Code("int Steps = 2;", "parameters")
            .Code("Steps = 5;", ParameterInjector.InjectedTag)
            .Code("using System.Text.Json;\nrecord Point(int X);\nvar p = new Point(Steps);\np")
            .Save(path);

        var output = NotebookExporter.Export(path, _folder["app/chapter.cs"]);
        var text = File.ReadAllText(output);
        var lines = text.Split('\n');

        Assert.Equal("#:package TorchSharp-cpu@0.107.0", lines[0]);
        Assert.Equal($"#:project {Path.GetRelativePath(_folder["app"], Path.Combine(RepositoryRoot.Path, "src/Course/Course.csproj"))}", lines[1]);
        Assert.Contains("// # Chapter\n// Some prose.\n", text);
        Assert.Contains("using System.Linq;", text); // the imports .NET Interactive gives every cell, and nothing more
        Assert.DoesNotContain("using static TorchSharp.torch;", text);
        Assert.DoesNotContain("#!csharp", text);
        Assert.DoesNotContain("Steps = 5;", text); // a run's injected parameters are not part of the program
        Assert.Contains("int Steps = 2;", text);
        Assert.Contains("display(p);", text); // the trailing expression a notebook would show
        Assert.Contains("static void display(object? value)", text);
        Assert.DoesNotContain("static string HTML", text); // emitted only when used
        // C# wants usings first and types after the top-level statements.
        Assert.True(text.IndexOf("using System.Text.Json;") < text.IndexOf("// # Chapter"));
        Assert.True(text.IndexOf("record Point(int X);") > text.IndexOf("static void display"));
    }

    [Fact]
    public void Refuses_load_directives_with_the_reason()
    {
        var path = _folder["load.ipynb"];
        new NotebookBuilder().Code("#load \"helpers.csx\"").Save(path);
        var e = Assert.Throws<NotebookException>(() => NotebookExporter.Export(path));
        Assert.Contains("Cell 1, line 1: #load \"helpers.csx\" cannot be exported", e.Message);
    }

    /// <summary>SLOW (about 20-60 s: dotnet run restores and builds the file-based app in a temp folder).
    /// The only test that runs an export; it uses a small cached package, not TorchSharp, to stay fast.</summary>
    [Fact]
    public async Task An_exported_notebook_runs_with_dotnet_run()
    {
        var path = _folder["small.ipynb"];
        new NotebookBuilder()
            .Markdown("A small notebook.")
            .Code("#r \"nuget: Microsoft.ML.Tokenizers, 2.0.1\"")
            .Code("int Steps = 3;", "parameters")
            .Code("var squares = Enumerable.Range(1, Steps).Select(i => i * i).ToList();\ndisplay(string.Join(\",\", squares));")
            .Code("class Box { public int Value = 7; }\nnew Box().Value")
            // Reflection-based JSON, as the course library uses for its catalog and checkpoints.
            .Code("System.Text.Json.JsonSerializer.Serialize(new { Steps })")
            .Save(path);
        // As in the course repository, where chapters are exported beside the notebooks: package versions are
        // managed centrally, which a file-based app's own #:package versions must not trip over.
        File.WriteAllText(_folder["Directory.Packages.props"],
            "<Project><PropertyGroup><ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally></PropertyGroup>" +
            "<ItemGroup><PackageVersion Include=\"Microsoft.ML.Tokenizers\" Version=\"2.0.1\" /></ItemGroup></Project>");
        var program = NotebookExporter.Export(path);

        var run = await ChildProcess.RunAsync("dotnet", ["run", "--artifacts-path", _folder["build"], program], TimeSpan.FromMinutes(3), _folder.Path);

        Assert.True(run.ExitCode == 0, $"dotnet run {program} failed:\n{run.Output}\n{File.ReadAllText(program)}");
        Assert.Equal("1,4,9\n7\n{\"Steps\":3}\n", run.StandardOutput.Replace("\r", ""));
    }
}
