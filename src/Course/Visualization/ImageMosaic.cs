namespace Course.Visualization;

/// <summary>
/// Many small pictures in one heatmap, tile after tile in rows of <c>columns</c>, read left to right and top to
/// bottom, with a blank line of cells between tiles: digits, a layer's filters, its feature maps.
/// </summary>
public static class ImageMosaic
{
    /// <param name="images">Equal-sized grids, row 0 on top.</param>
    /// <param name="scaleEach">Stretch each tile to its own range (0 its smallest value, 1 its largest), so that a
    /// filter's pattern shows whatever its scale; otherwise all tiles share one colour scale.</param>
    public static Figure Of(IReadOnlyList<float[,]> images, int columns, string title, bool scaleEach = false)
    {
        if (images.Count == 0) throw new ArgumentException("A mosaic needs at least one picture.");
        var (height, width) = (images[0].GetLength(0), images[0].GetLength(1));
        if (images.Any(i => i.GetLength(0) != height || i.GetLength(1) != width))
            throw new ArgumentException($"Every picture of a mosaic must have the size of the first ({height}×{width}).");
        columns = Math.Clamp(columns, 1, images.Count);
        var rows = (images.Count + columns - 1) / columns;
        var grid = new double[rows * (height + 1) - 1, columns * (width + 1) - 1];
        for (int i = 0; i < grid.GetLength(0); i++)
            for (int j = 0; j < grid.GetLength(1); j++)
                grid[i, j] = double.NaN; // the gutters, and the empty places of the last row, stay blank
        foreach (var (image, n) in images.Select((image, n) => (image, n)))
        {
            var values = image.Cast<float>().ToArray();
            var (low, high) = scaleEach ? (values.Min(), values.Max()) : (0f, 1f);
            var span = high > low ? high - low : 1f;
            var (top, left) = (n / columns * (height + 1), n % columns * (width + 1));
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++)
                    grid[top + y, left + x] = scaleEach ? (image[y, x] - low) / span : image[y, x];
        }
        var blankColumns = Enumerable.Repeat("", grid.GetLength(1)).ToList();
        var blankRows = Enumerable.Repeat("", grid.GetLength(0)).ToList();
        return new Figure(title).Heatmap(grid, blankColumns, blankRows);
    }
}
