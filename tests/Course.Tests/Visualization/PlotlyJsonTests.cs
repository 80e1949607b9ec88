using System.Text.Json.Nodes;
using Course.Visualization;

namespace Course.Tests.Visualization;

/// <summary>The figure JSON per trace type, as plotly.js reads it (its schema names: type, mode, x, y, z, ...).</summary>
public class PlotlyJsonTests
{
    [Fact]
    public void A_line_is_a_scatter_trace_with_its_mode_name_and_opacity_and_the_titles_are_in_the_layout()
    {
        var json = new Figure("Loss", x: "step", y: "nats")
            .Line(new[] { 1, 2, 3 }, new[] { 3.0, 2.0, 1.5 }, "train", opacity: 0.5)
            .Line(new[] { 1, 3 }, new[] { 3.1, 1.7 }, "validation", markers: true)
            .ToPlotlyJson();

        var (train, validation) = (Trace(json, 0), Trace(json, 1));
        Assert.Equal("scatter", (string)train["type"]!);
        Assert.Equal("lines", (string)train["mode"]!);
        Assert.Equal("lines+markers", (string)validation["mode"]!);
        Assert.Equal("[1,2,3]", train["x"]!.ToJsonString());
        Assert.Equal("[3,2,1.5]", train["y"]!.ToJsonString());
        Assert.Equal("train", (string)train["name"]!);
        Assert.Equal(0.5, (double)train["opacity"]!);
        Assert.Null(validation["opacity"]);
        Assert.Equal("Loss", (string)json["layout"]!["title"]!["text"]!);
        Assert.Equal("step", (string)json["layout"]!["xaxis"]!["title"]!["text"]!);
        Assert.Equal("nats", (string)json["layout"]!["yaxis"]!["title"]!["text"]!);
        Assert.True((bool)json["layout"]!["showlegend"]!);
    }

    [Fact]
    public void Scatter_is_markers_only_and_a_lone_point_of_a_line_gets_a_marker()
    {
        var json = new Figure().Scatter(new[] { 1.0, 2.0 }, new[] { 1.0, 4.0 }).Line(new[] { 3 }, new[] { 9 }).ToPlotlyJson();

        Assert.Equal("markers", (string)Trace(json, 0)["mode"]!);
        Assert.Equal("lines+markers", (string)Trace(json, 1)["mode"]!);
        Assert.False((bool)json["layout"]!["showlegend"]!);
        Assert.False((bool)Trace(json, 0)["showlegend"]!); // unnamed: no "trace 0" in a legend
    }

    [Fact]
    public void Bars_on_categories_group_and_carry_their_text_outside()
    {
        var json = new Figure()
            .Bar(new[] { "a", "b" }, new[] { 1, 2 }, "first", text: new[] { "1.0", "2.0" })
            .Bar(new[] { "a", "b" }, new[] { 3, 4 }, "second")
            .ToPlotlyJson();

        Assert.Equal("bar", (string)Trace(json, 0)["type"]!);
        Assert.Equal("""["a","b"]""", Trace(json, 0)["x"]!.ToJsonString());
        Assert.Equal("""["1.0","2.0"]""", Trace(json, 0)["text"]!.ToJsonString());
        Assert.Equal("outside", (string)Trace(json, 0)["textposition"]!);
        Assert.Equal("group", (string)json["layout"]!["barmode"]!);
        Assert.Equal("category", (string)json["layout"]!["xaxis"]!["type"]!);
    }

    [Fact]
    public void A_heatmap_has_its_grid_cell_text_and_colour_scale_with_row_0_on_top_and_labels_as_tick_text()
    {
        var json = new Figure("Attention", x: "key", y: "query")
            .Heatmap(new[,] { { 1.0, 0 }, { 0.4, 0.6 } }, ["the", "the"], ["the", "the"], new[,] { { "1", "0" }, { ".4", ".6" } })
            .ToPlotlyJson();

        var heatmap = Trace(json, 0);
        Assert.Equal("heatmap", (string)heatmap["type"]!);
        Assert.Equal("[[1,0],[0.4,0.6]]", heatmap["z"]!.ToJsonString());
        Assert.Null(heatmap["x"]); // placed by index: two "the" tokens keep a column each
        Assert.Equal("""[["1","0"],[".4",".6"]]""", heatmap["text"]!.ToJsonString());
        Assert.Equal("%{text}", (string)heatmap["texttemplate"]!);
        Assert.Equal("Viridis", (string)heatmap["colorscale"]!);
        var (xaxis, yaxis) = (json["layout"]!["xaxis"]!, json["layout"]!["yaxis"]!);
        Assert.Equal("[0,1]", xaxis["tickvals"]!.ToJsonString());
        Assert.Equal("""["the","the"]""", yaxis["ticktext"]!.ToJsonString());
        Assert.Equal("reversed", (string)yaxis["autorange"]!);
        Assert.Equal("key", (string)xaxis["title"]!["text"]!);
    }

    [Fact]
    public void A_long_heatmap_axis_labels_every_n_th_row()
    {
        var json = new Figure().Heatmap(new double[100, 3]).ToPlotlyJson();

        Assert.Equal(34, json["layout"]!["yaxis"]!["tickvals"]!.AsArray().Count); // every 3rd of 100
        Assert.Equal(3, json["layout"]!["xaxis"]!["tickvals"]!.AsArray().Count);
    }

    [Fact]
    public void Log_axes_are_typed_log()
    {
        var json = new Figure().Line(new[] { 1, 10, 100 }, new[] { 1e-3, 1e-4, 1e-5 }).LogX().LogY().ToPlotlyJson();

        Assert.Equal("log", (string)json["layout"]!["xaxis"]!["type"]!);
        Assert.Equal("log", (string)json["layout"]!["yaxis"]!["type"]!);
    }

    [Fact]
    public void Numbers_keep_6_significant_digits_and_non_finite_values_become_gaps()
    {
        var json = new Figure().Line(new[] { 1, 2, 3, 4 }, new[] { 1 / 3.0, double.NaN, double.PositiveInfinity, 123456789.0 }).ToPlotlyJson();

        Assert.Equal("[0.333333,null,null,123457000]", Trace(json, 0)["y"]!.ToJsonString());
        Assert.DoesNotContain('\n', json.ToJsonString());
    }

    private static JsonObject Trace(JsonObject figure, int index) => figure["data"]![index]!.AsObject();
}
