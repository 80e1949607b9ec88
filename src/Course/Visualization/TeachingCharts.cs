using static TorchSharp.torch;

namespace Course.Visualization;

/// <summary>Chart helpers the chapters share, taking tensors as the chapters hold them.</summary>
public static class TeachingCharts
{
    /// <summary>An attention heatmap from a 2-D (queries, keys) weight tensor; the tokens label both axes when
    /// the weights are square, as in self-attention.</summary>
    public static Figure AttentionHeatmap(Tensor weights, IReadOnlyList<string> tokens, string title = "Attention weights") =>
        AttentionHeatmap(weights, tokens, tokens, title);

    public static Figure AttentionHeatmap(Tensor weights, IReadOnlyList<string> queries, IReadOnlyList<string> keys, string title)
    {
        if (weights.dim() != 2)
            throw new ArgumentException($"Expected a 2-D (queries, keys) tensor; got shape [{string.Join(", ", weights.shape)}]. Index a batch and head first, e.g. weights[0, h].");
        if (weights.size(0) != queries.Count || weights.size(1) != keys.Count)
            throw new ArgumentException($"Shape [{string.Join(", ", weights.shape)}] does not match {queries.Count} query and {keys.Count} key labels.");
        return Charts.AttentionHeatmap(ToGrid(weights), queries, keys, title);
    }

    /// <summary>A 2-D tensor's values as a float[rows, columns] (copied to the CPU as float32).</summary>
    public static float[,] ToGrid(Tensor matrix)
    {
        using var scope = NewDisposeScope();
        var values = matrix.detach().to(ScalarType.Float32).cpu().contiguous().data<float>().ToArray();
        var (rows, columns) = ((int)matrix.size(0), (int)matrix.size(1));
        var grid = new float[rows, columns];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < columns; j++)
                grid[i, j] = values[i * columns + j];
        return grid;
    }
}
