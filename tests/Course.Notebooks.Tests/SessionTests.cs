using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Course.Notebooks.Tests;

/// <summary>
/// The engine behind both the runner and the kernel, in process: one session per test class, since a session owns
/// the process's Console. Cells here reference nothing but the framework, so they compile in milliseconds.
/// </summary>
public sealed class SessionTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly CSharpSession _session;

    public SessionTests()
    {
        _session = new CSharpSession(_folder.Path);
    }

    public void Dispose()
    {
        _session.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public async Task Cells_share_state_and_the_last_expression_is_the_result()
    {
        await Completed("var x = 20;");
        var result = await Completed("x * 2 + 2");
        Assert.Equal("42", result!["text/plain"]!.GetValue<string>());
        Assert.Null(await Completed("x++;")); // a statement has no result
    }

    [Fact]
    public async Task Output_goes_to_the_cell_that_prints_it()
    {
        var output = new RecordingOutput();
        await _session.ExecuteAsync("Console.WriteLine(\"to stdout\"); Console.Error.Write(\"to stderr\");", output, CancellationToken.None);
        Assert.Equal(["stdout:to stdout\n", "stderr:to stderr"], output.Streams);
    }

    [Fact]
    public async Task Display_and_update_go_through_the_formatting_library()
    {
        var output = new RecordingOutput();
        await _session.ExecuteAsync("var shown = display(new[] { 1, 2 });\nshown.Update(\"done\");\n\"done\".Display(\"text/html\");", output, CancellationToken.None);
        Assert.Equal(3, output.Displays.Count);
        var (first, firstId, firstUpdate) = output.Displays[0];
        Assert.False(firstUpdate);
        Assert.Contains("[ 1, 2 ]", first["text/html"]!.GetValue<string>()); // the Formatting package's HTML for a sequence
        Assert.NotNull(first["text/plain"]); // always there as the fallback
        var (second, secondId, secondUpdate) = output.Displays[1];
        Assert.True(secondUpdate);
        Assert.Equal(firstId, secondId);
        Assert.Equal("done", second["text/plain"]!.GetValue<string>());
        Assert.True(output.Displays[2].Data.ContainsKey("text/html")); // System.DisplayExtensions, as in .NET Interactive
    }

    [Fact]
    public async Task Errors_name_the_line_and_the_session_survives_them()
    {
        var compile = await Failed("var a = 1;\nvar b = undefinedName;");
        Assert.Equal(("CompilationError", 2), (compile.Name, compile.Line));
        Assert.Contains("CS0103", compile.Message);
        var runtime = await Failed("int zero = 0;\n\nvar c = 1 / zero;");
        Assert.Equal(("DivideByZeroException", 3), (runtime.Name, runtime.Line));
        Assert.Equal("3", (await Completed("1 + 2"))!["text/plain"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("while (true) { }")]
    [InlineData("for (;;) ;")]
    [InlineData("long n = 0; do n++; while (n >= 0);")]
    // Recursion with no loop, shallow but exponential, checked at each method entry (arrow- and block-bodied).
    [InlineData("long Paths(int n) => n == 0 ? 1 : Paths(n - 1) + Twice(n - 1);\nlong Twice(int n) { return Paths(n); }\nPaths(60);")]
    [InlineData("System.Threading.Thread.Sleep(System.Threading.Timeout.Infinite);")]
    [InlineData("new System.Threading.ManualResetEventSlim().Wait();")]
    [InlineData("foreach (var i in Enumerable.Range(0, int.MaxValue)) { System.Threading.Thread.SpinWait(1000); }")]
    public async Task An_interrupt_stops_a_runaway_cell_and_the_session_goes_on(string code)
    {
        await Completed("var before = 7;");
        using var interrupt = new CancellationTokenSource();
        var running = _session.ExecuteAsync(code, new RecordingOutput(), interrupt.Token);
        await Task.Delay(300);
        Assert.False(running.IsCompleted);
        var clock = Stopwatch.StartNew();
        interrupt.Cancel();
        var outcome = await running.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        var error = Assert.IsType<CellOutcome.Failed>(outcome).Error;
        Assert.Equal(nameof(CellInterruptedException), error.Name);
        // The state survives, and a later cell is not hit by a leftover interrupt.
        Assert.Equal("8", (await Completed("System.Threading.Thread.Sleep(50); before + 1"))!["text/plain"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("int Depth(int n) => Depth(n + 1) + 1;\nDepth(0);")]
    [InlineData("int Depth(int n) { return 1 + Depth(n + 1); }\nDepth(0);")]
    [InlineData("void Dive(int n)\n{\n    Dive(n + 1);\n    Console.Write(n);\n}\nDive(0);")]
    public async Task Recursion_without_end_fails_the_cell_not_the_process(string code)
    {
        // A stack overflow ends a .NET process, so the session must stop the recursion just before it.
        await Completed("var before = 7;");
        var error = await Failed(code);
        Assert.Equal(nameof(InsufficientExecutionStackException), error.Name);
        Assert.Equal("8", (await Completed("before + 1"))!["text/plain"]!.GetValue<string>());
    }

    [Fact]
    public async Task Arrow_bodied_methods_keep_their_line_numbers()
    {
        var error = await Failed("int Half(int n) =>\n    n % 2 == 0 ? n / 2 : throw new ArgumentException(\"odd\");\n\nvoid Show(int n) => Console.Write(Half(n));\nShow(4);\n\nShow(3);");
        Assert.Equal(("ArgumentException", 2), (error.Name, error.Line)); // the innermost frame in the cell: Half
        var traceback = string.Join("\n", error.Traceback);
        Assert.Contains(":line 4", traceback); // Show
        Assert.Contains(":line 7", traceback); // the call that failed
        var name = "string Name(int n) => n switch { 1 => \"one\", _ => throw new InvalidOperationException() };\nName(1)";
        Assert.Equal("one", (await Completed(name))!["text/plain"]!.GetValue<string>());
    }

    [Fact]
    public async Task Console_ReadLine_asks_the_front_end()
    {
        var output = new RecordingOutput { Input = "Ada" };
        var outcome = await _session.ExecuteAsync("var name = Console.ReadLine();\n$\"hello {name}\"", output, CancellationToken.None);
        Assert.Equal("hello Ada", Assert.IsType<CellOutcome.Completed>(outcome).Result!["text/plain"]!.GetValue<string>());
    }

    [Fact]
    public async Task Completes_members_of_variables_from_earlier_cells()
    {
        await Completed("var words = new List<string> { \"a\" };");
        var code = "words.Cou";
        var answer = await _session.CompleteAsync(code, code.Length, CancellationToken.None);
        Assert.Contains("Count", answer.Matches);
        Assert.Equal((6, code.Length), (answer.CursorStart, answer.CursorEnd));
        var globals = await _session.CompleteAsync("disp", 4, CancellationToken.None);
        Assert.Contains("display", globals.Matches); // the cells' globals, as in .NET Interactive
    }

    [Fact]
    public async Task Inspects_a_symbol_with_its_signature_and_xml_documentation()
    {
        var code = "Math.Sqrt";
        var answer = await _session.InspectAsync(code, code.Length, 0, CancellationToken.None);
        Assert.True(answer.Found);
        Assert.Contains("Math.Sqrt(double)", answer.PlainText);
        Assert.Contains("square root", answer.PlainText); // from the SDK's reference pack documentation
        Assert.False((await _session.InspectAsync("   ", 1, 0, CancellationToken.None)).Found);
    }

    [Theory]
    [InlineData("var x = 1;", "complete")]
    [InlineData("for (int i = 0; i < 3; i++) {", "incomplete")]
    [InlineData("var s = \"open", "incomplete")]
    [InlineData("var x = 1; )", "invalid")]
    public void Says_whether_code_is_complete(string code, string status) =>
        Assert.Equal(status, _session.IsComplete(code).Status);

    private async Task<JsonObject?> Completed(string code) =>
        Assert.IsType<CellOutcome.Completed>(await _session.ExecuteAsync(code, new RecordingOutput(), CancellationToken.None)).Result;

    private async Task<CellFailure> Failed(string code) =>
        Assert.IsType<CellOutcome.Failed>(await _session.ExecuteAsync(code, new RecordingOutput(), CancellationToken.None)).Error;

    private sealed class RecordingOutput : ICellOutput
    {
        public ConcurrentQueue<string> StreamQueue { get; } = new();
        public List<string> Streams => StreamQueue.ToList();
        public List<(JsonObject Data, string? Id, bool Update)> Displays { get; } = [];
        public string? Input { get; init; }

        public void Stream(string name, string text) => StreamQueue.Enqueue($"{name}:{text}");

        public void Display(JsonObject data, JsonObject metadata, string? displayId, bool update)
        {
            lock (Displays) Displays.Add((data, displayId, update));
        }

        public string? ReadLine(string prompt, bool password) => Input;
    }
}
