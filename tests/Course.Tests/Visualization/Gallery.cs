using Course.Visualization;

namespace Course.Tests.Visualization;

/// <summary>One figure of every kind the course draws, plus the edge cases a renderer gets wrong: the tests check
/// each one's JSON and SVG, and draw each one in a real browser.</summary>
public static class Gallery
{
    public static readonly IReadOnlyDictionary<string, Figure> Figures = new Dictionary<string, Figure>
    {
        ["lines"] = new Figure("Softmax saturation", x: "d_k", y: "largest weight")
            .Line(new[] { 1, 4, 16, 64, 256 }, new[] { 0.41, 0.62, 0.88, 0.99, 1.0 }, "softmax(q·k)", markers: true)
            .Line(new[] { 1, 4, 16, 64, 256 }, new[] { 0.38, 0.40, 0.41, 0.40, 0.39 }, "softmax(q·k / √d_k)", markers: true),
        ["loss curves"] = Charts.LossCurves(
            Enumerable.Range(1, 300).Select(s => (s, 4.2 * Math.Exp(-s / 80.0) + 1.4 + 0.15 * Math.Sin(s * 1.7))).ToList(),
            Enumerable.Range(1, 6).Select(k => (k * 50, 4.2 * Math.Exp(-k * 50 / 80.0) + 1.4, 4.2 * Math.Exp(-k * 50 / 80.0) + 1.55)).ToList(),
            "Pretraining 4×128 on dotnet-docs"),
        ["scatter"] = new Figure("Scatter", x: "x", y: "y")
            .Scatter(new[] { -3.0, -1.5, 0, 1.2, 2.5 }, new[] { 2.0, -0.5, 0.1, -1.8, 1.1 }, "points"),
        ["bars"] = new Figure("Bits per character", x: "model", y: "bits")
            .Bar(new[] { "uniform", "unigram", "bigram", "tiny GPT" }, new[] { 6.6, 4.6, 3.4, 2.25 }, text: new[] { "6.60", "4.60", "3.40", "2.25" }),
        ["grouped bars"] = new Figure("Next-token probabilities", x: "token", y: "probability")
            .Bar(new[] { "the", "a", "System", "Gets", "value" }, new[] { 0.42, 0.21, 0.12, 0.08, 0.02 }, "T = 0.5")
            .Bar(new[] { "the", "a", "System", "Gets", "value" }, new[] { 0.25, 0.17, 0.12, 0.10, 0.05 }, "T = 1")
            .Bar(new[] { "the", "a", "System", "Gets", "value" }, new[] { 0.14, 0.12, 0.10, 0.09, 0.07 }, "T = 2"),
        ["negative bars"] = new Figure("Change in loss", x: "setting", y: "Δ loss")
            .Bar(new[] { 1, 2, 3, 4 }, new[] { 0.3, -0.2, -0.55, 0.1 }),
        ["attention heatmap"] = Charts.AttentionHeatmap( // "the" twice: rows are positions, not labels
            new float[,] { { 1, 0, 0, 0, 0 }, { 0.4f, 0.6f, 0, 0, 0 }, { 0.2f, 0.3f, 0.5f, 0, 0 }, { 0.1f, 0.2f, 0.3f, 0.4f, 0 }, { 0.3f, 0.1f, 0.1f, 0.2f, 0.3f } },
            ["the", " cat", " saw", " the", " dog"], ["the", " cat", " saw", " the", " dog"], "Attention weights, causal mask"),
        ["confusion matrix"] = Charts.ConfusionMatrix(new[,] { { 812, 40, 3 }, { 55, 1290, 12 }, { 9, 20, 377 } },
            ["method", "property", "constructor"], "dotnet-member-kind: test confusion matrix"),
        ["log axis"] = new Figure("Learning rate schedule", x: "step", y: "learning rate")
            .Line(Enumerable.Range(0, 100), Enumerable.Range(0, 100).Select(s => 3e-4 * Math.Min(1, (s + 1) / 10.0) * (0.1 + 0.9 * 0.5 * (1 + Math.Cos(Math.PI * s / 99)))), "lr")
            .LogY(),
        ["one point"] = new Figure("One point", x: "step", y: "loss").Line(new[] { 5 }, new[] { 2.5 }, "loss"),
        ["constant"] = new Figure("Constant", x: "step", y: "value").Line(new[] { 0, 1, 2, 3 }, new[] { 7.0, 7.0, 7.0, 7.0 }),
        ["gaps"] = new Figure("Gaps where values are not finite", x: "step", y: "loss")
            .Line(new[] { 0, 1, 2, 3, 4, 5, 6 }, new[] { 3.0, 2.5, double.NaN, 2.0, double.PositiveInfinity, 1.6, 1.5 }, "loss", markers: true),
        ["empty"] = new Figure("Nothing yet", x: "step", y: "loss"),
        ["empty traces"] = new Figure("Traces without points").Bar(Array.Empty<string>(), Array.Empty<double>(), "none")
            .Line(Array.Empty<string>(), Array.Empty<double>(), "nothing"),
        ["long labels"] = new Figure("Compression by tokenizer", x: "tokenizer", y: "characters per token")
            .Bar(new[] { "characters", "byte-level BPE, 512 merges, trained here", "cl100k_base (GPT-4)", "o200k_base (GPT-4o)", "r50k_base (GPT-2)" },
                new[] { 1.0, 2.4, 3.9, 4.0, 3.3 }),
    };
}
