using System.Text.Json.Nodes;

namespace Course.Notebooks.Tests;

/// <summary>
/// One notebook that exercises the everyday features, run once (a worker process and Roslyn compiles cost
/// seconds) and inspected by each test below.
/// </summary>
public sealed class ExecutedNotebook : IAsyncLifetime
{
    public TempFolder Folder { get; } = new();
    public NotebookResult Result { get; private set; } = null!;
    public Notebook Executed { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var source = Folder["features.ipynb"];
        new NotebookBuilder()
            .Markdown("# Features\nEverything a chapter uses.")
            // Cell 2: a chapter's first cell names every reference and import, as .NET Interactive needs; Course.dll need
            // not exist at that path.
            .Code("#r \"nuget: TorchSharp-cpu, 0.107.0\"\n#r \"../src/Course/bin/Release/net10.0/Course.dll\"\n" +
                  "using TorchSharp;\nusing static TorchSharp.torch;\nusing Course.Data;\nCourse.Display.Formatters.Register();")
            .Code("int Steps = 3;\nstring Device = \"cuda\";\nfloat LearningRate = 0.5f;", "parameters") // cell 3; cell 4 is injected
            .Code("#!csharp\nvar total = Steps * 2;\nConsole.WriteLine($\"steps={Steps} device={Device} lr={LearningRate}\");\nConsole.Error.WriteLine(\"a warning\");") // 5
            .Code("total + 1") // 6: trailing expression, state from cell 5
            .Code("var t = arange(6).reshape(2, 3);\ndisplay(t);\ndisplay(HTML(\"<b>bold</b>\"));") // 7
            .Code("var shown = display(\"first\");\nshown.Update(\"second\");\nCharTokenizer.FromText(\"hello\").VocabSize") // 8
            .Markdown("A long cell that prints as it goes.")
            .Code("for (int i = 0; i < 5; i++) { Console.Write($\"step {i}\"); System.Threading.Thread.Sleep(40); Console.WriteLine(); }") // 10
            .Save(source);
        var options = new RunOptions
        {
            OutputDirectory = Folder["out"],
            Parameters = RunOptions.ParseParameters(["Steps=20", "Device=cpu", "LearningRate=0.01"]),
        };
        Result = (await NotebookRunner.RunAsync([source], options)).Single();
        Executed = Notebook.Load(Result.OutputPath);
    }

    public Task DisposeAsync()
    {
        Folder.Dispose();
        return Task.CompletedTask;
    }
}

public sealed class ExecutionTests(ExecutedNotebook run) : IClassFixture<ExecutedNotebook>
{
    [Fact]
    public void Runs_every_code_cell_and_writes_to_the_output_folder()
    {
        Assert.True(run.Result.Succeeded, run.Result.Summary);
        Assert.Equal(8, run.Result.CodeCellsRun);
        Assert.Equal(run.Folder["out/features.ipynb"], run.Result.OutputPath);
        Assert.DoesNotContain(Notebook.Load(run.Folder["features.ipynb"]).Cells, c => c.ExecutionCount is not null); // source untouched
        Assert.Contains("8/8 code cells", run.Result.Summary);
        Assert.EndsWith("ok", run.Result.Summary);
    }

    [Fact]
    public void Records_execution_counts_and_timings_as_nbclient_does()
    {
        var code = run.Executed.Cells.Where(c => c.IsCode).ToList();
        Assert.Equal(Enumerable.Range(1, 8), code.Select(c => c.ExecutionCount ?? 0));
        Assert.All(code, c => Assert.True(Seconds(c) >= 0));
        Assert.True(Seconds(code[^1]) >= 0.2); // it slept 5 x 40 ms

        // nbclient's keys, with ISO 8601 strings as the nbformat schema requires.
        static double Seconds(NotebookCell cell)
        {
            var execution = cell.Metadata["execution"]!;
            var start = DateTime.Parse(execution["iopub.execute_input"]!.GetValue<string>(), null, System.Globalization.DateTimeStyles.RoundtripKind);
            var end = DateTime.Parse(execution["shell.execute_reply"]!.GetValue<string>(), null, System.Globalization.DateTimeStyles.RoundtripKind);
            return (end - start).TotalSeconds;
        }
    }

    [Fact]
    public void Injects_parameters_after_the_parameters_cell()
    {
        var injected = run.Executed.Cells[3];
        Assert.Equal(["injected-parameters"], injected.Tags);
        Assert.Contains("Steps = 20;", injected.Source);
        Assert.Contains("Device = \"cpu\";", injected.Source);
        Assert.Contains("LearningRate = 0.01f;", injected.Source);
        Assert.Equal("steps=20 device=cpu lr=0.01\n", Outputs.Stream(run.Executed, 5, "stdout"));
    }

    [Fact]
    public void Captures_stdout_and_stderr_as_stream_outputs()
    {
        Assert.Equal("a warning\n", Outputs.Stream(run.Executed, 5, "stderr"));
        // Printed in pieces over time, merged into one stream output as Jupyter does.
        var progress = Outputs.Of(run.Executed, 10).Where(o => Outputs.Kind(o) == "stream").ToList();
        Assert.Single(progress);
        Assert.Equal(string.Concat(Enumerable.Range(0, 5).Select(i => $"step {i}\n")), Outputs.Text(progress[0]));
    }

    [Fact]
    public void Keeps_state_across_cells_and_shows_the_trailing_expression()
    {
        var result = Assert.Single(Outputs.Of(run.Executed, 6));
        Assert.Equal("execute_result", Outputs.Kind(result));
        Assert.Equal("41", result["data"]!["text/plain"]!.GetValue<string>());
        Assert.Equal(5, result["execution_count"]!.GetValue<int>());
    }

    [Fact]
    public void Displays_tensors_through_the_course_formatters_and_html_as_html()
    {
        var outputs = Outputs.Of(run.Executed, 7);
        Assert.All(outputs, o => Assert.Equal("display_data", Outputs.Kind(o)));
        var tensor = outputs[0]["data"]!["text/plain"]!.GetValue<string>();
        Assert.StartsWith("tensor of shape [2, 3], Int64, on cpu", tensor);
        Assert.Contains("[[0, 1, 2]", tensor);
        var table = outputs[0]["data"]!["text/html"]!.GetValue<string>();
        Assert.Contains(">tensor of shape [2, 3], Int64, on cpu</caption>", table);
        Assert.Contains("<td style=\"text-align:right\">5</td>", table);
        Assert.Equal("<b>bold</b>", outputs[1]["data"]!["text/html"]!.GetValue<string>());
    }

    [Fact]
    public void An_updated_display_replaces_its_output_in_place()
    {
        var outputs = Outputs.Of(run.Executed, 8);
        var shown = outputs[0];
        Assert.Equal("display_data", Outputs.Kind(shown));
        Assert.Equal("second", shown["data"]!["text/plain"]!.GetValue<string>());
        // The course library (through the #r of Course.dll) answered the cell's trailing expression.
        Assert.Equal("4", outputs[1]["data"]!["text/plain"]!.GetValue<string>());
    }
}
