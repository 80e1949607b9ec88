using Microsoft.FSharp.Core;
using Plotly.NET;
using Plotly.NET.CSharp;
using CSharpChart = Plotly.NET.CSharp.Chart;

namespace Course.Visualization;

/// <summary>Plotly.NET charts used by the CLI and the notebooks. Save with <c>chart.SaveHtml(path)</c>, or
/// display them in a notebook.</summary>
public static class Charts
{
    /// <summary>Training loss per step (thin) and evaluation losses per split (markers), against the step.</summary>
    public static GenericChart LossCurves(IReadOnlyList<(int Step, double Loss)> training,
        IReadOnlyList<(int Step, double Train, double Validation)> evaluations, string title = "Loss")
    {
        var charts = new List<GenericChart>
        {
            CSharpChart.Line<int, double, string>(training.Select(p => p.Step), training.Select(p => p.Loss), Name: "train (step)", Opacity: 0.5),
        };
        if (evaluations.Count > 0)
        {
            charts.Add(CSharpChart.Line<int, double, string>(evaluations.Select(e => e.Step), evaluations.Select(e => e.Train), Name: "train (eval)", ShowMarkers: true));
            charts.Add(CSharpChart.Line<int, double, string>(evaluations.Select(e => e.Step), evaluations.Select(e => e.Validation), Name: "validation (eval)", ShowMarkers: true));
        }
        return Titled(CSharpChart.Combine(charts), title, "step", "cross-entropy (nats)");
    }

    /// <summary>An attention matrix (queries down, keys across) with token labels.</summary>
    public static GenericChart AttentionHeatmap(float[,] weights, IReadOnlyList<string> queries, IReadOnlyList<string> keys, string title = "Attention weights")
    {
        var rows = Enumerable.Range(0, weights.GetLength(0)).Select(i => Enumerable.Range(0, weights.GetLength(1)).Select(j => weights[i, j]).ToArray()).ToArray();
        var heatmap = CSharpChart.Heatmap<float, string, string, string>(rows, X: keys.ToArray(), Y: queries.ToArray(), ReverseYAxis: true);
        return Titled(heatmap, title, "key", "query");
    }

    /// <summary>A confusion matrix of counts: true classes down, predicted classes across, so the diagonal is the correct predictions.</summary>
    public static GenericChart ConfusionMatrix(int[,] counts, IReadOnlyList<string> labels, string title = "Confusion matrix")
    {
        var rows = Enumerable.Range(0, counts.GetLength(0)).Select(i => Enumerable.Range(0, counts.GetLength(1)).Select(j => counts[i, j]).ToArray()).ToArray();
        var heatmap = CSharpChart.Heatmap<int, string, string, string>(rows, X: labels.ToArray(), Y: labels.ToArray(), ReverseYAxis: true);
        return Titled(heatmap, title, "predicted", "actual");
    }

    /// <summary>One validation-loss curve per run, against the step, to compare runs.</summary>
    public static GenericChart CompareValidationLoss(IEnumerable<(string Name, IReadOnlyList<(int Step, double Loss)> Curve)> runs, string title = "Validation loss")
    {
        var charts = runs.Select(r => CSharpChart.Line<int, double, string>(r.Curve.Select(p => p.Step), r.Curve.Select(p => p.Loss), Name: r.Name, ShowMarkers: true)).ToList();
        return Titled(CSharpChart.Combine(charts), title, "step", "validation cross-entropy (nats)");
    }

    /// <summary>A chart with a title and axis titles.</summary>
    public static GenericChart Titled(GenericChart chart, string title, string xTitle, string yTitle) =>
        Plotly.NET.Chart.withTitle(title, FSharpOption<Font>.None).Invoke(chart)
            .WithXAxisStyle<double, double, string>(TitleText: xTitle)
            .WithYAxisStyle<double, double, string>(TitleText: yTitle);
}
