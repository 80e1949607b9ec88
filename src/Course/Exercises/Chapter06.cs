using Course.Training;
using static TorchSharp.torch;

namespace Course;

public static partial class Exercises
{
    /// <summary>Chapter 06, the training loop. Each right answer is computed here from the library.</summary>
    public static class Chapter06
    {
        /// <summary>The learning rate, weight decay and betas of exercise 6.</summary>
        public const double Eta = 0.01, Lambda = 0.1, Beta1 = 0.9, Beta2 = 0.95, Epsilon = 1e-8;

        /// <param name="firstLossForV65">Exercise 1: the loss of a fresh model over a vocabulary of 65 characters.</param>
        /// <param name="rateAtStep210">Exercise 2: the chapter's schedule (the tiny preset stretched to 400 steps) at step 210.</param>
        /// <param name="clippedW2">Exercise 3: w2's gradient (12) after clipping (3, 4) and (12) at c = 5.</param>
        /// <param name="clip">Exercise 5: (gradients, c) ↦ the gradients clipped to global norm c.</param>
        /// <param name="adamW">Exercise 6: (θ, gradients) ↦ θ after one AdamW step per gradient, with <see cref="Eta"/>, <see cref="Lambda"/>, ….</param>
        public static ExerciseReport Check(double? firstLossForV65 = null, double? rateAtStep210 = null, double? clippedW2 = null,
            Func<Tensor[], double, Tensor[]>? clip = null, Func<Tensor, Tensor[], Tensor>? adamW = null)
        {
            using var scope = NewDisposeScope();
            var uniform = nn.functional.cross_entropy(zeros(1, 65, dtype: float64), tensor(new long[] { 0 })).item<double>();
            var schedule = (Preset.Named("tiny").Training with { MaxSteps = 400 }).Schedule;
            var generator = new Generator(6);
            return new ExerciseReport("06")
                .Number(1, "first loss with V = 65", firstLossForV65, uniform, 1e-3)
                .Number(2, "learning rate at step 210", rateAtStep210, schedule.At(210), 1e-7)
                .Number(3, "w2's gradient clipped at 5", clippedW2, ClipByLibrary([tensor(new[] { 3.0, 4.0 }), tensor(new[] { 12.0 })], 5)[1].item<double>(), 1e-3)
                .Judge(5, "clipping by global norm", clip, f =>
                {
                    foreach (var maxNorm in new[] { 1.0, 100.0 })
                    {
                        Tensor[] gradients = [randn([3, 4], generator: generator), randn([5], generator: generator), randn([2, 2, 2], generator: generator)];
                        var expected = ClipByLibrary(gradients, maxNorm);
                        var given = f(gradients.Select(g => g.clone()).ToArray(), maxNorm);
                        if (given.Length != expected.Length) return $"{given.Length} gradients back, expected {expected.Length}";
                        foreach (var (g, e) in given.Zip(expected))
                            if (Tensors.Differ(g, e, 1e-5) is string wrong) return $"with c = {maxNorm}: {wrong}";
                    }
                    return null;
                })
                .Judge(6, "AdamW, written out", adamW, f =>
                {
                    var start = randn([2, 3], generator: generator);
                    Tensor[] gradients = [randn([2, 3], generator: generator), randn([2, 3], generator: generator), randn([2, 3], generator: generator)];
                    var theta = new TorchSharp.Modules.Parameter(start.clone());
                    using var optimizer = new AdamW([("theta", theta)], weightDecay: Lambda, beta1: Beta1, beta2: Beta2, epsilon: Epsilon);
                    foreach (var g in gradients)
                    {
                        optimizer.ZeroGrad();
                        (theta * g).sum().backward(); // a loss whose gradient is g
                        optimizer.Update(Eta);
                    }
                    return Tensors.Differ(f(start.clone(), gradients.Select(g => g.clone()).ToArray()), theta.detach(), 1e-5);
                });
        }

        private static Tensor[] ClipByLibrary(Tensor[] gradients, double maxNorm)
        {
            var parameters = gradients.Select(g => new TorchSharp.Modules.Parameter(zeros_like(g))).ToArray();
            foreach (var (p, g) in parameters.Zip(gradients)) (p * g).sum().backward();
            nn.utils.clip_grad_norm_(parameters, max_norm: maxNorm);
            return parameters.Select(p => p.grad!.clone()).ToArray();
        }
    }
}
