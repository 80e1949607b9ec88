using Course.Experiments;
using Xunit.Abstractions;

namespace Course.Tests.Experiments;

public class BayesianSearchTests(ITestOutputHelper output)
{
    [Fact]
    public void The_normal_cdf_and_expected_improvement_have_their_textbook_values()
    {
        Assert.Equal(0.5, BayesianSearch.NormalCdf(0), 7);
        Assert.Equal(0.975002, BayesianSearch.NormalCdf(1.96), 6);
        Assert.Equal(0.024998, BayesianSearch.NormalCdf(-1.96), 6);
        // At mu = best, EI = σ φ(0) = σ / √(2π).
        Assert.Equal(2 / Math.Sqrt(2 * Math.PI), BayesianSearch.ExpectedImprovement(mu: 1, sigma: 2, best: 1), 9);
        Assert.Equal(0.5, BayesianSearch.ExpectedImprovement(mu: 0.5, sigma: 0, best: 1));
    }

    [Fact]
    public void The_gaussian_process_interpolates_its_points_and_is_unsure_far_from_them()
    {
        double[][] x = [[0.1], [0.3], [0.5], [0.7], [0.9]];
        var y = x.Select(p => Math.Sin(6 * p[0])).ToArray();
        var gp = GaussianProcess.Fit(x, y);
        foreach (var (point, value) in x.Zip(y))
        {
            var (mean, sd) = gp.Predict(point);
            Assert.Equal(value, mean, 2);
            Assert.True(sd < 0.1, $"sd {sd} at a training point");
        }
        Assert.True(gp.Predict([0.4]).StandardDeviation < gp.Predict([2.0]).StandardDeviation);
    }

    [Fact]
    public void Ranges_map_to_the_unit_interval_in_their_scale()
    {
        var space = SearchSpace.Parse("lr=1e-4..1e-2:log;n_layer=1..4:int;n_embd=64,16,32");
        var middle = space.At([0.5, 0.5, 0.5]);
        Assert.Equal(1e-3, middle["lr"], 9);
        Assert.Equal(3, middle["n_layer"]); // 1, 2, 3 and 4 each own a quarter of [0, 1]; 0.5 starts the third
        Assert.Equal(32, middle["n_embd"]);  // the middle third of 16, 32, 64
        Assert.Equal([0.5, 0.125, Math.Round(5 / 6.0, 9)], space.Position(new Dictionary<string, double> { ["lr"] = 1e-3, ["n_layer"] = 1, ["n_embd"] = 64 }).Select(v => Math.Round(v, 9)));
        var draws = space.Random(4000, seed: 3);
        Assert.All(new[] { 1.0, 2, 3, 4 }, n => Assert.InRange(draws.Count(d => d["n_layer"] == n), 900, 1100)); // equal shares
        Assert.Throws<UserError>(() => space.Grid());
    }

    /// <summary>Random search and Bayesian optimisation at the same budget on functions whose minimum is known; the
    /// average regret (best found − minimum) over seeds.</summary>
    [Theory]
    [InlineData("bowl in log(lr) and weight decay", 15)]
    [InlineData("Branin over two ranges", 20)]
    [InlineData("three dimensions with a whole number", 20)]
    public void At_equal_budget_Bayesian_search_beats_random_search_on_average(string function, int budget)
    {
        var (space, f, minimum) = Functions[function];
        const int Seeds = 10;
        double bayes = 0, random = 0;
        for (int seed = 1; seed <= Seeds; seed++)
        {
            random += space.Random(budget, seed).Min(f) - minimum;
            var search = new BayesianSearch(space, BayesianSearch.DefaultInitialRandom(space));
            var done = new List<(IReadOnlyDictionary<string, double>, double)>();
            for (int i = 0; i < budget; i++)
            {
                var trial = search.Propose(done, seed * 1000 + i);
                done.Add((trial, f(trial)));
            }
            bayes += done.Min(d => d.Item2) - minimum;
        }
        output.WriteLine($"{function}, {budget} trials, mean regret over {Seeds} seeds: Bayesian {bayes / Seeds:G4}, random {random / Seeds:G4}");
        Assert.True(bayes < random, $"Bayesian regret {bayes / Seeds:G4} is not below random's {random / Seeds:G4}");
    }

    private static readonly Dictionary<string, (SearchSpace Space, Func<IReadOnlyDictionary<string, double>, double> F, double Minimum)> Functions = new()
    {
        ["bowl in log(lr) and weight decay"] = (SearchSpace.Parse("lr=1e-5..1e-1:log;weight_decay=0..0.5"),
            t => Math.Pow(Math.Log10(t["lr"]) + 2.7, 2) + 20 * Math.Pow(t["weight_decay"] - 0.12, 2), 0),
        // Branin on x1 ∈ [−5, 10], x2 ∈ [0, 15]; minimum 0.397887 at three points.
        ["Branin over two ranges"] = (SearchSpace.Parse("weight_decay=-5..10;dropout=0..15"), t => Branin(t["weight_decay"], t["dropout"]), 0.397887),
        ["three dimensions with a whole number"] = (SearchSpace.Parse("lr=1e-4..1e-1:log;n_layer=1..12:int;dropout=0..0.5"),
            t => Math.Pow(Math.Log10(t["lr"]) + 2.5, 2) + 0.05 * Math.Pow(t["n_layer"] - 7, 2) + 4 * Math.Pow(t["dropout"] - 0.1, 2), 0),
    };

    private static double Branin(double x1, double x2)
    {
        double b = 5.1 / (4 * Math.PI * Math.PI), c = 5 / Math.PI, t = 1 / (8 * Math.PI);
        return Math.Pow(x2 - b * x1 * x1 + c * x1 - 6, 2) + 10 * (1 - t) * Math.Cos(x1) + 10;
    }
}
