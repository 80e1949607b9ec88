namespace Course.Notebooks.Tests;

public sealed class ParameterTests
{
    [Theory]
    [InlineData("20", "int", "20")]
    [InlineData("20", null, "20")]
    [InlineData("0.1", "float", "0.1f")]
    [InlineData("3", "float", "3")]
    [InlineData("1e-3", "double", "1e-3")]
    [InlineData("0.5", "decimal", "0.5m")]
    [InlineData("true", null, "true")]
    [InlineData("cpu", null, "\"cpu\"")]
    [InlineData("12", "string", "\"12\"")]
    [InlineData("say \"hi\"\\n", null, "\"say \\\"hi\\\"\\\\n\"")]
    public void Turns_command_line_values_into_csharp_literals(string value, string? declaredType, string literal) =>
        Assert.Equal(literal, ParameterInjector.Literal(value, declaredType));

    [Fact]
    public void Finds_the_variables_the_parameters_cell_declares()
    {
        var declared = ParameterInjector.Declarations("// knobs\nint Steps = 3, Warmup = 1;\nvar Device = \"cpu\";\nfloat Lr = 0.1f;\nConsole.WriteLine(Steps);");
        Assert.Equal(["Steps", "Warmup", "Device", "Lr"], declared.Keys);
        Assert.Equal(["int", "int", null, "float"], declared.Values);
    }

    [Fact]
    public void A_rerun_replaces_the_previous_injected_cell()
    {
        var notebook = new NotebookBuilder().Code("int Steps = 3;", "parameters").Code("Steps").Build();

        ParameterInjector.Apply(notebook, new Dictionary<string, string> { ["Steps"] = "20" });
        ParameterInjector.Apply(notebook, new Dictionary<string, string> { ["Steps"] = "7" });
        var injected = Assert.Single(notebook.Cells, c => c.HasTag(ParameterInjector.InjectedTag));
        Assert.Contains("Steps = 7;", injected.Source);
        Assert.Same(injected, notebook.Cells[1]);

        ParameterInjector.Apply(notebook, new Dictionary<string, string>());
        Assert.DoesNotContain(notebook.Cells, c => c.HasTag(ParameterInjector.InjectedTag)); // no overrides: defaults
    }

    [Fact]
    public void Overrides_without_a_parameters_cell_are_an_error()
    {
        var notebook = new NotebookBuilder().Code("int Steps = 3;").Build();
        var e = Assert.Throws<NotebookException>(() => ParameterInjector.Apply(notebook, new Dictionary<string, string> { ["Steps"] = "1" }));
        Assert.Contains("no code cell is tagged 'parameters'", e.Message);
    }

    [Fact]
    public void Malformed_pairs_are_named()
    {
        var e = Assert.Throws<UserError>(() => RunOptions.ParseParameters(["Steps"]));
        Assert.Contains("'Steps' is not Name=Value", e.Message);
    }
}
