namespace Course.Notebooks.Tests;

/// <summary>Broken notebooks, run together as the CLI would: each failure is reported where it happened and
/// does not stop the notebooks after it.</summary>
public sealed class FailureTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Reports_compile_runtime_and_package_errors_with_cell_and_line()
    {
        new NotebookBuilder()
            .Markdown("# Broken")
            .Code("var ok = 1;")
            .Code("var fine = ok;\nvar broken = missingName + 1;") // cell 3, code cell 2, line 2
            .Code("Console.WriteLine(\"never runs\");")
            .Save(_folder["compile.ipynb"]);
        new NotebookBuilder()
            .Code("int Divide(int a, int b) => a / b;")
            .Markdown("Divide by zero.")
            .Code("var zero = 0;\nConsole.WriteLine(\"before\");\nvar x = Divide(1, zero);") // cell 3, code cell 2, line 3
            .Save(_folder["runtime.ipynb"]);
        new NotebookBuilder()
            .Code("#r \"nuget: TorchSharp-cpu, 0.105.0\"")
            .Save(_folder["package.ipynb"]);
        new NotebookBuilder()
            .Code("#!fsharp\nlet x = 1")
            .Save(_folder["fsharp.ipynb"]);

        var results = await NotebookRunner.RunAsync(new[] { "compile", "runtime", "package", "fsharp" }.Select(n => _folder[n + ".ipynb"]),
            new RunOptions { OutputDirectory = _folder["out"] });

        Assert.Equal(4, results.Count);
        Assert.All(results, r => Assert.Equal(NotebookStatus.Failed, r.Status));

        var c = results[0].Failure!;
        Assert.Equal((3, 2, 2, "CompilationError"), (c.CellNumber!.Value, c.CodeCellNumber!.Value, c.Line!.Value, c.Kind));
        Assert.Contains("CS0103", c.Message);
        Assert.Contains("missingName", c.Message);
        Assert.Contains("cell 3 (code cell 2), line 2", results[0].Summary);
        var executed = Notebook.Load(results[0].OutputPath);
        var error = Assert.Single(Outputs.Of(executed, 3));
        Assert.Equal("error", Outputs.Kind(error));
        Assert.Equal("CompilationError", error["ename"]!.GetValue<string>());
        Assert.Empty(Outputs.Of(executed, 4)); // the run stopped at the error
        Assert.Null(executed.Cells[3].ExecutionCount);

        var r = results[1].Failure!;
        Assert.Equal((3, 2, 3, "DivideByZeroException"), (r.CellNumber!.Value, r.CodeCellNumber!.Value, r.Line!.Value, r.Kind));
        var runtimeOutputs = Outputs.Of(Notebook.Load(results[1].OutputPath), 3);
        Assert.Equal("before\n", Outputs.Stream(Notebook.Load(results[1].OutputPath), 3, "stdout"));
        Assert.Contains("Attempted to divide by zero", runtimeOutputs[^1]["evalue"]!.GetValue<string>());

        var p = results[2].Failure!;
        Assert.Equal((1, 1), (p.CellNumber!.Value, p.CodeCellNumber!.Value));
        Assert.Contains("pins TorchSharp-cpu 0.107.0, not 0.105.0", p.Message);

        Assert.Contains("'#!fsharp'", results[3].Failure!.Message);
        Assert.Contains("C# only", results[3].Failure!.Message);
    }

    /// <summary>5 s rather than less: the first cell's compile can take seconds while other tests load both cores.</summary>
    [Fact]
    public async Task Stops_a_runaway_cell_at_the_timeout_and_keeps_what_ran()
    {
        var path = _folder["loop.ipynb"];
        new NotebookBuilder()
            .Code("Console.WriteLine(\"first cell\");")
            .Code("Console.WriteLine(\"looping\");\nwhile (true) { }")
            .Save(path);

        var result = await NotebookRunner.RunOneAsync(path, new RunOptions { OutputDirectory = _folder["out"], CellTimeout = TimeSpan.FromSeconds(5) });

        Assert.Equal(NotebookStatus.TimedOut, result.Status);
        Assert.Equal(2, result.Failure!.CellNumber);
        Assert.Contains("did not finish within 5 s", result.Failure.Message);
        var executed = Notebook.Load(result.OutputPath);
        Assert.Equal("first cell\n", Outputs.Stream(executed, 1, "stdout"));
        Assert.Equal("looping\n", Outputs.Stream(executed, 2, "stdout")); // printed before it hung, kept
        Assert.Equal("TimeoutError", Outputs.Of(executed, 2)[^1]["ename"]!.GetValue<string>());
    }

    [Fact]
    public async Task Errors_stop_a_notebook_unless_allowed_or_tagged_raises_exception()
    {
        var path = _folder["errors.ipynb"];
        new NotebookBuilder()
            .Code("throw new InvalidOperationException(\"shown on purpose\");", NotebookWorker.RaisesExceptionTag)
            .Code("Console.WriteLine(\"after the tagged cell\");")
            .Code("int.Parse(\"not a number\");")
            .Code("Console.WriteLine(\"after the untagged error\");")
            .Save(path);

        var stopped = await NotebookRunner.RunOneAsync(path, new RunOptions { OutputDirectory = _folder["stopped"] });
        Assert.Equal(NotebookStatus.Failed, stopped.Status);
        Assert.Equal((3, "FormatException"), (stopped.Failure!.CellNumber!.Value, stopped.Failure.Kind));
        var executed = Notebook.Load(stopped.OutputPath);
        Assert.Equal("InvalidOperationException", Outputs.Of(executed, 1)[0]["ename"]!.GetValue<string>());
        Assert.Equal("after the tagged cell\n", Outputs.Stream(executed, 2, "stdout"));
        Assert.Empty(Outputs.Of(executed, 4));

        var allowed = await NotebookRunner.RunOneAsync(path, new RunOptions { OutputDirectory = _folder["allowed"], AllowErrors = true });
        Assert.True(allowed.Succeeded, allowed.Summary);
        Assert.Equal("after the untagged error\n", Outputs.Stream(Notebook.Load(allowed.OutputPath), 4, "stdout"));
    }

    [Fact]
    public async Task Refuses_an_unknown_parameter_naming_it_and_the_declared_ones()
    {
        var path = _folder["params.ipynb"];
        new NotebookBuilder().Code("int Steps = 3;\nvar Device = \"cpu\";", "parameters").Save(path);

        var result = await NotebookRunner.RunOneAsync(path, new RunOptions
        {
            OutputDirectory = _folder["out"],
            Parameters = RunOptions.ParseParameters(["Stepz=20"]),
        });

        Assert.False(result.Succeeded);
        Assert.Contains("'Stepz' is not declared", result.Failure!.Message);
        Assert.Contains("Steps, Device", result.Failure.Message);
    }
}
