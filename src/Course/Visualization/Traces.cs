namespace Course.Visualization;

/// <summary>One data series of a <see cref="Figure"/>. The names follow Plotly's trace types.</summary>
internal abstract record Trace(string? Name);

/// <summary>Points placed by x and y: x is either numbers or category labels (<see cref="Categories"/>).</summary>
internal abstract record XYTrace(string? Name, IReadOnlyList<double>? X, IReadOnlyList<string>? Categories, IReadOnlyList<double> Y) : Trace(Name)
{
    public bool IsCategorical => Categories is not null;

    /// <summary>The points whose y (and numeric x) are finite, as (index, y): NaN and infinities are gaps.</summary>
    public IEnumerable<(int Index, double Y)> FinitePoints() =>
        Y.Select((y, i) => (i, y)).Where(p => double.IsFinite(p.y) && (X is null || double.IsFinite(X[p.i])));
}

/// <summary>Plotly's "scatter": a line through the points, markers at the points, or both.</summary>
internal sealed record ScatterTrace(string? Name, IReadOnlyList<double>? X, IReadOnlyList<string>? Categories, IReadOnlyList<double> Y,
    bool Lines, bool Markers, double Opacity) : XYTrace(Name, X, Categories, Y)
{
    /// <summary>A lone point has no line to show, so it gets a marker.</summary>
    public bool ShowsMarkers => Markers || !Lines || FinitePoints().Count() < 2;

    public string Mode => (Lines, ShowsMarkers) switch { (true, true) => "lines+markers", (true, false) => "lines", _ => "markers" };
}

/// <summary>Plotly's "bar": a column per point from zero to y, with an optional label above each.</summary>
internal sealed record BarTrace(string? Name, IReadOnlyList<double>? X, IReadOnlyList<string>? Categories, IReadOnlyList<double> Y,
    IReadOnlyList<string>? Text) : XYTrace(Name, X, Categories, Y);

/// <summary>Plotly's "heatmap": Z[row, column] coloured on a sequential scale; row 0 is drawn on top.</summary>
internal sealed record HeatmapTrace(double[,] Z, IReadOnlyList<string> X, IReadOnlyList<string> Y, string[,]? Text) : Trace((string?)null)
{
    public int Rows => Z.GetLength(0);
    public int Columns => Z.GetLength(1);

    public IEnumerable<double> FiniteValues() => Z.Cast<double>().Where(double.IsFinite);
}
