using System.Globalization;

namespace Course.Experiments;

/// <summary>
/// One hyperparameter of a search: a list of values ("n_embd=32,64"), or a range ("lr=1e-4..1e-2:log",
/// "n_layer=1..6:int") that random and Bayesian search draw from (a grid needs lists).
/// </summary>
/// <param name="Values">The list's values, in the order written; empty for a range.</param>
/// <param name="Log">A range searched evenly in log(value): learning rates span decades.</param>
/// <param name="Integer">A range of whole numbers (widths, depths, batch sizes).</param>
public sealed record Dimension(string Name, double[] Values, double Low = 0, double High = 0, bool Log = false, bool Integer = false)
{
    public bool IsRange => Values.Length == 0;

    /// <summary><c>var (name, values) = dimension</c>, as a grid reads a list.</summary>
    public void Deconstruct(out string name, out double[] values) => (name, values) = (Name, Values);

    /// <summary>The value at <paramref name="u"/> ∈ [0, 1]: a list's values in ascending order share [0, 1] in equal
    /// parts, and so do an :int range's whole numbers; a range maps it evenly (in log space for :log).</summary>
    public double At(double u)
    {
        u = Math.Clamp(u, 0, 1);
        if (!IsRange) return Ascending[Math.Min(Values.Length - 1, (int)(u * Values.Length))];
        var (low, high) = Span;
        var value = Log ? Math.Exp(Math.Log(low) + u * (Math.Log(high) - Math.Log(low))) : low + u * (high - low);
        return Integer ? Math.Clamp(Math.Round(value, MidpointRounding.AwayFromZero), Math.Ceiling(Low), Math.Floor(High)) : value;
    }

    /// <summary>The inverse of <see cref="At"/>: where <paramref name="value"/> sits in [0, 1] (the middle of its part).</summary>
    public double Position(double value)
    {
        if (!IsRange) return (Array.IndexOf(Ascending, value) + 0.5) / Values.Length;
        var (low, high) = Span;
        return Log ? (Math.Log(value) - Math.Log(low)) / (Math.Log(high) - Math.Log(low)) : (value - low) / (high - low);
    }

    // An :int range reaches half a unit beyond its ends, so that rounding gives each whole number an equal share.
    private (double Low, double High) Span => Integer ? (Math.Ceiling(Low) - 0.5, Math.Floor(High) + 0.5) : (Low, High);

    private double[] Ascending => Values.Order().ToArray();
}

/// <summary>
/// The values a sweep tries for each hyperparameter, written "lr=1e-3,3e-3;n_embd=32,64" (dimensions separated by ';',
/// values by ',') or with ranges, "lr=1e-4..1e-2:log;n_layer=1..4:int". A grid takes every combination of lists; a
/// random search draws each dimension uniformly (a range evenly in its scale); a Bayesian search proposes points
/// (<see cref="BayesianSearch"/>).
/// </summary>
public sealed record SearchSpace(IReadOnlyList<Dimension> Dimensions)
{
    public static SearchSpace Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
            throw new UserError("The search space is empty. Write it as NAME=V1,V2;NAME=LOW..HIGH, e.g. \"lr=1e-4..1e-2:log;n_embd=32,64\".");
        var dimensions = new List<Dimension>();
        foreach (var part in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=');
            var name = eq < 0 ? part : part[..eq].Trim();
            if (!Hyperparameters.IsKnown(name))
                throw new UserError($"Unknown hyperparameter '{name}' in the search space. Known: {string.Join(", ", Hyperparameters.Names)}.");
            var body = eq < 0 ? "" : part[(eq + 1)..].Trim();
            if (body.Length == 0) throw new UserError($"Hyperparameter '{name}' has no values. Write {name}=V1,V2,... or {name}=LOW..HIGH");
            if (dimensions.Any(d => d.Name == name)) throw new UserError($"Hyperparameter '{name}' appears twice in the search space; list all its values once.");
            dimensions.Add(body.Contains("..") ? ParseRange(name, body) : new Dimension(name, body.Split(',', StringSplitOptions.TrimEntries).Select(v => Number(name, v)).Distinct().ToArray()));
        }
        if (dimensions.Count == 0) throw new UserError($"The search space '{text}' names no hyperparameter. Known: {string.Join(", ", Hyperparameters.Names)}.");
        return new SearchSpace(dimensions);
    }

    // LOW..HIGH, then :log and/or :int.
    private static Dimension ParseRange(string name, string body)
    {
        var parts = body.Split(':', StringSplitOptions.TrimEntries);
        var bounds = parts[0].Split("..", StringSplitOptions.TrimEntries);
        if (bounds.Length != 2) throw new UserError($"'{parts[0]}' is not a range (hyperparameter '{name}'). Write LOW..HIGH, e.g. {name}=1e-4..1e-2:log");
        double low = Number(name, bounds[0]), high = Number(name, bounds[1]);
        var flags = parts.Skip(1).ToList();
        foreach (var flag in flags.Where(f => f is not ("log" or "int")))
            throw new UserError($"Unknown range option ':{flag}' (hyperparameter '{name}'). Ranges take :log, :int or both.");
        bool log = flags.Contains("log"), integer = flags.Contains("int");
        if (!(low < high)) throw new UserError($"The range {parts[0]} of '{name}' must go from a lower to a higher value.");
        if (log && low <= 0) throw new UserError($"A :log range needs positive bounds ('{name}' starts at {bounds[0]}).");
        if (integer && Math.Floor(high) < Math.Ceiling(low)) throw new UserError($"The range {parts[0]} of '{name}' holds no whole number.");
        return new Dimension(name, [], low, high, log, integer);
    }

    private static double Number(string name, string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) && double.IsFinite(x)
            ? x : throw new UserError($"'{text}' is not a number (hyperparameter '{name}').");

    /// <summary>Every combination, the last dimension varying fastest.</summary>
    public IReadOnlyList<Dictionary<string, double>> Grid()
    {
        if (Dimensions.FirstOrDefault(d => d.IsRange) is { } range)
            throw new UserError($"A grid needs a list of values for every hyperparameter, but '{range.Name}' is a range. List its values, or use --random or --bayes.");
        IEnumerable<Dictionary<string, double>> trials = [new()];
        foreach (var d in Dimensions)
            trials = trials.SelectMany(t => d.Values.Select(v => new Dictionary<string, double>(t) { [d.Name] = v }));
        return trials.ToList();
    }

    /// <summary><paramref name="count"/> draws, reproducible for a seed. A draw may repeat an earlier one when the space is small.</summary>
    public IReadOnlyList<Dictionary<string, double>> Random(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count)
            .Select(_ => Dimensions.ToDictionary(d => d.Name, d => d.IsRange ? d.At(random.NextDouble()) : d.Values[random.Next(d.Values.Length)]))
            .ToList();
    }

    /// <summary>The trial at a point of the unit cube, one coordinate per dimension.</summary>
    public Dictionary<string, double> At(IReadOnlyList<double> point) => Dimensions.Select((d, i) => (d.Name, Value: d.At(point[i]))).ToDictionary(p => p.Name, p => p.Value);

    /// <summary>Where a trial sits in the unit cube.</summary>
    public double[] Position(IReadOnlyDictionary<string, double> trial) => Dimensions.Select(d => d.Position(trial[d.Name])).ToArray();
}
