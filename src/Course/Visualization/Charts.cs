namespace Course.Visualization;

/// <summary>The figures the CLI and the notebooks share. Save with <c>figure.SaveHtml(path)</c> or
/// <c>SaveSvg(path)</c>, or display them in a notebook.</summary>
public static class Charts
{
    /// <summary>Training loss per step (thin, faint) and evaluation losses per split (markers), against the step.</summary>
    public static Figure LossCurves(IReadOnlyList<(int Step, double Loss)> training,
        IReadOnlyList<(int Step, double Train, double Validation)> evaluations, string title = "Loss")
    {
        var figure = new Figure(title, x: "step", y: "cross-entropy (nats)")
            .Line(training.Select(p => p.Step), training.Select(p => p.Loss), "train (step)", opacity: 0.5);
        if (evaluations.Count > 0)
            figure.Line(evaluations.Select(e => e.Step), evaluations.Select(e => e.Train), "train (eval)", markers: true)
                .Line(evaluations.Select(e => e.Step), evaluations.Select(e => e.Validation), "validation (eval)", markers: true);
        return figure;
    }

    /// <summary>An attention matrix (queries down, keys across) with token labels.</summary>
    public static Figure AttentionHeatmap(float[,] weights, IReadOnlyList<string> queries, IReadOnlyList<string> keys, string title = "Attention weights") =>
        new Figure(title, x: "key", y: "query").Heatmap(weights, keys, queries);

    /// <summary>A confusion matrix of counts, written in the cells: true classes down, predicted classes across,
    /// so the diagonal is the correct predictions.</summary>
    public static Figure ConfusionMatrix(int[,] counts, IReadOnlyList<string> labels, string title = "Confusion matrix")
    {
        var text = new string[counts.GetLength(0), counts.GetLength(1)];
        for (int i = 0; i < counts.GetLength(0); i++)
            for (int j = 0; j < counts.GetLength(1); j++)
                text[i, j] = counts[i, j].ToString("N0", System.Globalization.CultureInfo.InvariantCulture);
        return new Figure(title, x: "predicted", y: "actual").Heatmap(counts, labels, labels, text);
    }

    /// <summary>One validation-loss curve per run, against the step, to compare runs.</summary>
    public static Figure CompareValidationLoss(IEnumerable<(string Name, IReadOnlyList<(int Step, double Loss)> Curve)> runs, string title = "Validation loss")
    {
        var figure = new Figure(title, x: "step", y: "validation cross-entropy (nats)");
        foreach (var (name, curve) in runs)
            figure.Line(curve.Select(p => p.Step), curve.Select(p => p.Loss), name, markers: true);
        return figure;
    }
}
