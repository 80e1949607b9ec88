namespace Course.Experiments;

/// <summary>
/// Bayesian optimisation of a score to minimise (a sweep's best validation loss). A Gaussian process fitted to the
/// finished trials predicts the score at every point of the search space with an uncertainty, and the next trial is
/// the candidate with the largest expected improvement over the best score so far (Jones, Schonlau and Welch, 1998),
/// which trades trying near the best against trying where little is known. The first trials are random: a surrogate
/// needs points to fit.
/// </summary>
/// <remarks>A Gaussian process rather than TPE: a course sweep runs tens of trials, where a GP's posterior is cheap
/// (an n × n Cholesky) and uses every trial's exact score, while TPE's density estimates need many more trials to beat
/// random search. The GP works in the unit cube of <see cref="SearchSpace.Position"/>, so :log ranges are searched in
/// log space, and a candidate is snapped to a value the trial can take (a list entry, a whole number) before it is scored.</remarks>
public sealed class BayesianSearch(SearchSpace space, int initialRandom)
{
    private const int UniformCandidates = 2000, LocalCandidatesPerBest = 200;

    /// <summary>The trials drawn at random before the surrogate takes over: one more than the dimensions, at least 3.</summary>
    public static int DefaultInitialRandom(SearchSpace space) => Math.Max(3, space.Dimensions.Count + 1);

    /// <summary>The next trial, given the finished ones; the same history and seed give the same proposal.</summary>
    /// <param name="done">Each finished trial with its score; a NaN or infinite score (a diverged run) counts as the worst seen.</param>
    public Dictionary<string, double> Propose(IReadOnlyList<(IReadOnlyDictionary<string, double> Trial, double Score)> done, int seed)
    {
        var random = new Random(seed);
        var dimensions = space.Dimensions.Count;
        double[] RandomPoint() => Enumerable.Range(0, dimensions).Select(_ => random.NextDouble()).ToArray();
        if (done.Count < initialRandom) return space.At(RandomPoint());

        var positions = done.Select(d => space.Position(d.Trial)).ToArray();
        var finite = done.Select(d => d.Score).Where(double.IsFinite).DefaultIfEmpty(0).ToArray();
        var scores = done.Select(d => double.IsFinite(d.Score) ? d.Score : finite.Max()).ToArray();
        double mean = scores.Average(), spread = Math.Sqrt(scores.Sum(s => (s - mean) * (s - mean)) / scores.Length);
        var standardised = scores.Select(s => spread > 0 ? (s - mean) / spread : 0).ToArray();
        var surrogate = GaussianProcess.Fit(positions, standardised);
        var best = standardised.Min();

        // Candidates: uniform over the cube, plus small steps around the best few trials, where improvements usually are.
        var candidates = Enumerable.Range(0, UniformCandidates).Select(_ => RandomPoint()).ToList();
        foreach (var index in Enumerable.Range(0, done.Count).OrderBy(i => standardised[i]).Take(5))
            for (int c = 0; c < LocalCandidatesPerBest; c++)
                candidates.Add(positions[index].Select(x => Math.Clamp(x + 0.05 * Gaussian(random), 0, 1)).ToArray());
        double[]? chosen = null;
        var largest = double.NegativeInfinity;
        foreach (var candidate in candidates)
        {
            var snapped = space.Position(space.At(candidate));
            // A trial already run would only measure the same score again.
            if (positions.Any(p => p.Zip(snapped).All(z => Math.Abs(z.First - z.Second) < 1e-9))) continue;
            var (mu, sigma) = surrogate.Predict(snapped);
            var improvement = ExpectedImprovement(mu, sigma, best);
            if (improvement > largest) (largest, chosen) = (improvement, snapped);
        }
        // Every candidate was a trial already run: a small discrete space is exhausted, so any point will do.
        return space.At(chosen ?? RandomPoint());
    }

    /// <summary>E[max(best − f, 0)] for f ~ N(mu, sigma²): how much, on average, a trial there beats the best.</summary>
    public static double ExpectedImprovement(double mu, double sigma, double best)
    {
        var gain = best - mu;
        if (sigma <= 0) return Math.Max(gain, 0);
        var z = gain / sigma;
        return gain * NormalCdf(z) + sigma * Math.Exp(-z * z / 2) / Math.Sqrt(2 * Math.PI);
    }

    /// <summary>Φ(z) through erfc (Numerical Recipes' erfc, fractional error below 1.2e-7).</summary>
    public static double NormalCdf(double z)
    {
        var x = Math.Abs(z) / Math.Sqrt(2);
        var t = 1 / (1 + 0.5 * x);
        var erfc = t * Math.Exp(-x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807
            + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
        return z >= 0 ? 1 - erfc / 2 : erfc / 2;
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
