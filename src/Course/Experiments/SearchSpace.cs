using System.Globalization;

namespace Course.Experiments;

/// <summary>
/// The values a sweep tries for each hyperparameter, written "lr=1e-3,3e-3;n_embd=32,64" (dimensions separated by ';',
/// values by ','). A grid takes every combination; a random search draws each dimension's value uniformly from its list.
/// </summary>
public sealed record SearchSpace(IReadOnlyList<(string Name, double[] Values)> Dimensions)
{
    public static SearchSpace Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
            throw new UserError("The search space is empty. Write it as NAME=V1,V2;NAME=V1,..., e.g. \"lr=1e-3,3e-3;n_embd=32,64\".");
        var dimensions = new List<(string, double[])>();
        foreach (var part in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=');
            var name = eq < 0 ? part : part[..eq].Trim();
            if (!Hyperparameters.IsKnown(name))
                throw new UserError($"Unknown hyperparameter '{name}' in the search space. Known: {string.Join(", ", Hyperparameters.Names)}.");
            if (eq < 0 || part[(eq + 1)..].Trim().Length == 0)
                throw new UserError($"Hyperparameter '{name}' has no values. Write {name}=V1,V2,...");
            if (dimensions.Any(d => d.Item1 == name)) throw new UserError($"Hyperparameter '{name}' appears twice in the search space; list all its values once.");
            var values = part[(eq + 1)..].Split(',', StringSplitOptions.TrimEntries).Select(v =>
                double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) && double.IsFinite(x)
                    ? x : throw new UserError($"'{v}' is not a number (hyperparameter '{name}').")).Distinct().ToArray();
            dimensions.Add((name, values));
        }
        if (dimensions.Count == 0) throw new UserError($"The search space '{text}' names no hyperparameter. Known: {string.Join(", ", Hyperparameters.Names)}.");
        return new SearchSpace(dimensions);
    }

    /// <summary>Every combination, the last dimension varying fastest.</summary>
    public IReadOnlyList<Dictionary<string, double>> Grid()
    {
        IEnumerable<Dictionary<string, double>> trials = [new()];
        foreach (var (name, values) in Dimensions)
            trials = trials.SelectMany(t => values.Select(v => new Dictionary<string, double>(t) { [name] = v }));
        return trials.ToList();
    }

    /// <summary><paramref name="count"/> draws, reproducible for a seed. A draw may repeat an earlier one when the space is small.</summary>
    public IReadOnlyList<Dictionary<string, double>> Random(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => Dimensions.ToDictionary(d => d.Name, d => d.Values[random.Next(d.Values.Length)])).ToList();
    }
}
