using System.Text.Json.Nodes;

namespace Course.Notebooks.Tests;

public sealed class FormatTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Builder_writes_nbformat_4_5_notebooks_for_the_course_kernel()
    {
        var path = _folder["built.ipynb"];
        new NotebookBuilder().Markdown("# Title\ntext").Code("int Steps = 1;\nSteps", "parameters").Save(path);

        var json = JsonNode.Parse(File.ReadAllText(path))!;
        Assert.Equal((4, 5), (json["nbformat"]!.GetValue<int>(), json["nbformat_minor"]!.GetValue<int>()));
        Assert.Equal("course-csharp", json["metadata"]!["kernelspec"]!["name"]!.GetValue<string>());
        Assert.Equal("C# (course)", json["metadata"]!["kernelspec"]!["display_name"]!.GetValue<string>());
        Assert.Equal("csharp", json["metadata"]!["kernelspec"]!["language"]!.GetValue<string>());
        Assert.Equal("csharp", json["metadata"]!["language_info"]!["name"]!.GetValue<string>());
        Assert.Equal(["cell-1", "cell-2"], json["cells"]!.AsArray().Select(c => c!["id"]!.GetValue<string>()));
        var code = json["cells"]![1]!;
        Assert.Equal("csharp", code["metadata"]!["dotnet_interactive"]!["language"]!.GetValue<string>());
        Assert.Equal("csharp", code["metadata"]!["polyglot_notebook"]!["kernelName"]!.GetValue<string>());
        Assert.Equal("parameters", code["metadata"]!["tags"]![0]!.GetValue<string>());
        // nbformat stores source as lines that keep their newline.
        Assert.Equal(["int Steps = 1;\n", "Steps"], code["source"]!.AsArray().Select(l => l!.GetValue<string>()));
    }

    [Fact]
    public void Load_and_save_keep_what_the_runner_does_not_know()
    {
        var original = """
            {"cells": [{"cell_type": "code", "execution_count": 3, "id": "a1", "metadata": {"collapsed": true, "custom": {"x": [1, 2]}},
                        "outputs": [], "source": "var x = 1;"}],
             "metadata": {"widgets": {"state": {}}, "kernelspec": {"name": ".net-csharp"}}, "nbformat": 4, "nbformat_minor": 5}
            """;
        var notebook = Notebook.Parse(original);
        Assert.Equal("var x = 1;", notebook.Cells[0].Source); // a plain string source is read too
        notebook.Save(_folder["kept.ipynb"]);

        var saved = JsonNode.Parse(File.ReadAllText(_folder["kept.ipynb"]))!;
        var cell = saved["cells"]![0]!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"state": {}}"""), saved["metadata"]!["widgets"]));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"x": [1, 2]}"""), cell["metadata"]!["custom"]));
        Assert.Equal("a1", cell["id"]!.GetValue<string>());
        Assert.Equal(5, saved["nbformat_minor"]!.GetValue<int>());
    }

    [Fact]
    public void Gives_4_5_cells_unique_ids_and_keeps_the_ids_they_have()
    {
        var notebook = Notebook.Parse("""
            {"cells": [{"cell_type": "markdown", "id": "intro", "metadata": {}, "source": "a"},
                       {"cell_type": "markdown", "id": "intro", "metadata": {}, "source": "copied"},
                       {"cell_type": "markdown", "metadata": {}, "source": "new"},
                       {"cell_type": "markdown", "id": "bad id!", "metadata": {}, "source": "bad"}],
             "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
            """);
        var saved = JsonNode.Parse(notebook.ToJson())!["cells"]!.AsArray().Select(c => c!["id"]!.GetValue<string>()).ToList();
        Assert.Equal(["intro", "cell-2", "cell-3", "cell-4"], saved);
    }

    [Fact]
    public void Rejects_files_that_are_not_nbformat_4_notebooks()
    {
        var e = Assert.Throws<NotebookException>(() => Notebook.Parse("""{"cells": [], "nbformat": 3}""", "old.ipynb"));
        Assert.Contains("old.ipynb has nbformat 3", e.Message);
        Assert.Contains("not valid JSON", Assert.Throws<NotebookException>(() => Notebook.Parse("{", "x.ipynb")).Message);
    }

    [Fact]
    public void Strips_the_csharp_magic_and_keeps_line_numbers()
    {
        Assert.Equal("\nvar x = 1;", CellSource.ToCSharp("#!csharp\nvar x = 1;", "Cell 1"));
        Assert.Equal("var y = 2;", CellSource.ToCSharp("var y = 2;", "Cell 1"));
        var e = Assert.Throws<NotebookException>(() => CellSource.ToCSharp("#!pwsh\nGet-ChildItem", "Cell 4"));
        Assert.StartsWith("Cell 4 starts with the magic command '#!pwsh'", e.Message);
    }
}
