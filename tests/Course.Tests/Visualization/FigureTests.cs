using Course.Visualization;

namespace Course.Tests.Visualization;

/// <summary>What a Figure accepts and refuses, with messages that name the fix.</summary>
public class FigureTests
{
    [Fact]
    public void A_log_axis_refuses_values_that_are_not_positive_naming_the_fix_and_leaves_the_figure_as_it_was()
    {
        var figure = new Figure("Learning rate").Line(new[] { 0, 1, 2 }, new[] { 0.0, 1e-3, 1e-4 }, "lr");

        var logY = Assert.Throws<ArgumentException>(() => figure.LogY());
        Assert.Contains("trace 'lr' has y = 0 at index 0", logY.Message);
        Assert.Contains("remove LogY()", logY.Message);
        var logX = Assert.Throws<ArgumentException>(() => figure.LogX());
        Assert.Contains("x = 0", logX.Message);
        Assert.Equal(new Figure("Learning rate").Line(new[] { 0, 1, 2 }, new[] { 0.0, 1e-3, 1e-4 }, "lr").ToSvg(), figure.ToSvg());

        var log = new Figure().Line(new[] { 1, 2 }, new[] { 1.0, 2.0 }).LogY();
        Assert.Throws<ArgumentException>(() => log.Line(new[] { 1, 2 }, new[] { 1.0, -2.0 }));
        Assert.Single(log.ToPlotlyJson()["data"]!.AsArray());
    }

    [Fact]
    public void A_log_axis_skips_NaN_rather_than_refusing_it()
    {
        var svg = new Figure().Line(new[] { 1, 2, 3 }, new[] { 1.0, double.NaN, 100 }).LogY().ToSvg();

        Assert.DoesNotContain("NaN", svg);
    }

    [Fact]
    public void Labels_cannot_be_logarithmic_and_a_heatmap_stands_alone()
    {
        Assert.Contains("remove LogX()", Assert.Throws<ArgumentException>(() => new Figure().Bar(new[] { "a" }, new[] { 1 }).LogX()).Message);
        Assert.Throws<ArgumentException>(() => new Figure().Heatmap(new[,] { { 1.0 } }).LogY());
        Assert.Contains("new Figure", Assert.Throws<ArgumentException>(() => new Figure().Heatmap(new[,] { { 1.0 } }).Line(new[] { 1 }, new[] { 1 })).Message);
    }

    [Fact]
    public void Mismatched_lengths_and_mixed_kinds_of_x_are_refused()
    {
        Assert.Contains("x has 3 values but y has 2", Assert.Throws<ArgumentException>(() => new Figure().Line(new[] { 1, 2, 3 }, new[] { 1, 2 })).Message);
        Assert.Throws<ArgumentException>(() => new Figure().Bar(new[] { "a", "b" }, new[] { 1, 2 }, text: new[] { "1" }));
        Assert.Throws<ArgumentException>(() => new Figure().Heatmap(new double[2, 3], x: ["a", "b"]));
        Assert.Throws<ArgumentException>(() => new Figure().Heatmap(new double[2, 2], text: new string[1, 2]));
        Assert.Contains("cannot mix", Assert.Throws<ArgumentException>(() => new Figure().Bar(new[] { "a" }, new[] { 1 }).Line(new[] { 1 }, new[] { 1 })).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Figure().Line(new[] { 1 }, new[] { 1 }, opacity: 1.5));
    }

    [Fact]
    public void Its_text_form_names_the_title_and_the_traces()
    {
        Assert.Equal("Figure \"Bits\" with 2 traces (line, bar)", new Figure("Bits").Line(new[] { "a" }, new[] { 1 }).Bar(new[] { "a" }, new[] { 2 }).ToString());
        Assert.Equal("Figure \"\" with 0 traces", new Figure().ToString());
    }
}
