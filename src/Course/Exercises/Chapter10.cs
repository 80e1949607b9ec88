using Course.Experiments;

namespace Course;

public static partial class Exercises
{
    /// <summary>Chapter 10, experiments. Each right answer is computed here from the library.</summary>
    public static class Chapter10
    {
        /// <summary>The chapter's wider search space.</summary>
        public const string WideSpace = "lr=3e-4,1e-3,3e-3,1e-2;n_embd=16,32,64;n_layer=1,2,4;dropout=0,0.1";

        /// <param name="gridWithThreeDropouts">Exercise 1: trials of the wider grid with dropout=0,0.1,0.2.</param>
        /// <param name="expectedDistinctRates">Exercise 2: the expected number of distinct learning rates in 8 random draws of the wider space.</param>
        /// <param name="trialsForTopFivePercent">Exercise 3: the fewest random trials that land one in the best 5% of a space with probability at least 95%.</param>
        /// <param name="grid">Exercise 5: a search space ↦ its grid, every combination, the last dimension varying fastest.</param>
        public static ExerciseReport Check(long? gridWithThreeDropouts = null, double? expectedDistinctRates = null, long? trialsForTopFivePercent = null,
            Func<SearchSpace, IEnumerable<IReadOnlyDictionary<string, double>>>? grid = null)
        {
            var wider = SearchSpace.Parse(WideSpace.Replace("dropout=0,0.1", "dropout=0,0.1,0.2"));
            // Each of the 8 draws misses a given rate with probability (1 − 1/n); the expected count of rates hit sums over them.
            int rates = SearchSpace.Parse(WideSpace).Dimensions.First(d => d.Name == "lr").Values.Length;
            double expectedRates = rates * (1 - Math.Pow(1 - 1.0 / rates, 8));
            int trials = 1;
            while (1 - Math.Pow(0.95, trials) < 0.95) trials++;

            return new ExerciseReport("10")
                .Number(1, "trials of the grid with three dropouts", gridWithThreeDropouts, wider.Grid().Count)
                .Number(2, "expected distinct learning rates in 8 draws", expectedDistinctRates, expectedRates, 0.01)
                .Number(3, "random trials for the best 5% at 95%", trialsForTopFivePercent, trials)
                .Judge(5, "the grid of a search space", grid, f =>
                {
                    foreach (var text in new[] { "lr=1e-3,3e-3;n_embd=32,64", "n_layer=1,2,4", WideSpace })
                    {
                        var space = SearchSpace.Parse(text);
                        var expected = space.Grid().Select(Hyperparameters.Describe).ToList();
                        var given = f(space).Select(Hyperparameters.Describe).ToList();
                        if (given.Count != expected.Count) return $"the grid of \"{text}\" has {expected.Count} trials, yours {given.Count}";
                        var first = Enumerable.Range(0, expected.Count).FirstOrDefault(i => given[i] != expected[i], -1);
                        if (first >= 0) return $"trial {first} of \"{text}\" should be {expected[first]}, yours is {given[first]}";
                    }
                    return null;
                });
        }
    }
}
