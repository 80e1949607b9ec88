using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Course.Notebooks.Tests.Jupyter;

namespace Course.Notebooks.Tests;

/// <summary>The committed chapter files themselves: valid for Jupyter, readable anywhere, free of this machine.</summary>
public sealed partial class NotebookFileTests
{
    public static IEnumerable<object[]> Notebooks() => CourseNotebookTests.Notebooks();

    [Theory]
    [MemberData(nameof(Notebooks))]
    public async Task Passes_nbformat_validation(string name)
    {
        await JupyterTools.EnsureInstalledAsync();
        var (exitCode, output) = await ChildProcess.RunAsync(JupyterTools.Python,
            ["-c", "import nbformat, sys; nb = nbformat.read(sys.argv[1], as_version=nbformat.NO_CONVERT); nbformat.validate(nb); print(nb.nbformat, nb.nbformat_minor)", Path(name)],
            TimeSpan.FromMinutes(1));
        Assert.True(exitCode == 0, output);
        Assert.Equal("4 5", output.Trim()); // the 4.5 schema: cells have ids
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Outputs_name_no_folder_of_the_machine_that_ran_them(string name)
    {
        var paths = Outputs(name).SelectMany(o => MachinePath().Matches(o.ToJsonString()).Select(m => m.Value)).Distinct().ToList();
        Assert.True(paths.Count == 0, $"{name} shows paths of the machine that ran it: {string.Join(", ", paths)}");
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Every_chart_has_a_static_image_beside_it(string name)
    {
        var charts = Outputs(name).Select(o => o["data"] as JsonObject).OfType<JsonObject>().Where(d => d.ContainsKey("application/vnd.plotly.v1+json")).ToList();
        Assert.All(charts, data =>
        {
            Assert.True(data.ContainsKey("image/svg+xml") || data.ContainsKey("image/png"), "a Plotly chart without an image beside it");
            Assert.IsType<JsonObject>(data["application/vnd.plotly.v1+json"], exactMatch: false); // the figure as JSON, not as a string
        });
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Is_saved_compactly_as_the_runner_writes_it(string name)
    {
        // Numbers one per line (Jupyter's own writer) would multiply a chart's size; the runner keeps data on one line.
        var text = File.ReadAllText(Path(name));
        Assert.True(text == Notebook.Parse(text, name).ToJson(), $"{name} is not in the runner's layout; run it with ./course notebooks run, or load and save it with Notebook.");
    }

    private static string Path(string name) => System.IO.Path.Combine(CourseNotebookTests.NotebooksFolder, name);

    private static IEnumerable<JsonObject> Outputs(string name) =>
        Notebook.Load(Path(name)).Cells.SelectMany(c => c.Outputs).OfType<JsonObject>();

    /// <summary>Absolute paths of home, build and temporary folders, in Unix or Windows form.</summary>
    [GeneratedRegex(@"(/(root|home|work|tmp|Users|var/folders)/[^\s""'<>]*|[A-Za-z]:\\(Users|Temp)\\[^\s""'<>]*)")]
    private static partial Regex MachinePath();
}
