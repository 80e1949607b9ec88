using static TorchSharp.torch;

namespace Course;

public static partial class Exercises
{
    /// <summary>Chapter 03, gradients by hand. Each right answer is computed here with autograd, on the chapter's network.</summary>
    public static class Chapter03
    {
        /// <summary>The chapter's network (3 inputs, 2 ReLU units, a sigmoid output) as float64 parameters.</summary>
        private static Tensor[] ChapterWeights() =>
        [
            tensor(new[] { 0.2, -0.4, 0.3, -0.5, 0.1, -0.2 }, 2, 3, dtype: ScalarType.Float64).requires_grad_(true),
            tensor(new[] { 0.1, 0.05 }, dtype: ScalarType.Float64).requires_grad_(true),
            tensor(new[] { 0.6, -0.3 }, dtype: ScalarType.Float64).requires_grad_(true),
            tensor(-0.2, dtype: ScalarType.Float64).requires_grad_(true),
        ];

        /// <summary>The binary cross-entropy of the network on one example; keeps z2's gradient.</summary>
        private static (Tensor Loss, Tensor Z2) Loss(Tensor[] w, double[] x, double y)
        {
            var z1 = w[0].matmul(tensor(x, dtype: ScalarType.Float64)) + w[1];
            var z2 = w[2].dot(nn.functional.relu(z1)) + w[3];
            if (z2.requires_grad) z2.retain_grad();   // not in the no_grad pass after the step
            return (nn.functional.binary_cross_entropy(z2.sigmoid(), tensor(y, dtype: ScalarType.Float64)), z2);
        }

        private static readonly double[] ChapterInput = [0.5, -1.0, 2.0];

        /// <param name="deltaWithLabel0">Exercise 1: δ2 = ∂L/∂z2 when the label is y = 0 instead of 1.</param>
        /// <param name="lossAfterStepAt01">Exercise 2: the loss after one SGD step with learning rate 0.1 (y = 1).</param>
        /// <param name="nonZeroW1Gradients">Exercise 3: how many of W1's six weights get a non-zero gradient when x₁ = −2
        /// instead of 0.5 (y = 1).</param>
        /// <param name="logisticGradient">Exercise 4: (X, y, w) ↦ ∂L/∂w for L the mean binary cross-entropy of σ(Xw),
        /// X of shape (N, 3), y and the result of shape (N) and (3).</param>
        public static ExerciseReport Check(double? deltaWithLabel0 = null, double? lossAfterStepAt01 = null, long? nonZeroW1Gradients = null,
            Func<Tensor, Tensor, Tensor, Tensor>? logisticGradient = null)
        {
            using var scope = NewDisposeScope();
            var label0 = ChapterWeights();
            var (loss0, z2) = Loss(label0, ChapterInput, 0.0);
            loss0.backward();

            var stepped = ChapterWeights();
            Loss(stepped, ChapterInput, 1.0).Loss.backward();
            using (no_grad())
                foreach (var t in stepped) t.sub_(0.1 * t.grad!);   // one SGD step: θ ← θ − η·∂L/∂θ
            double lossAfter;
            using (no_grad()) lossAfter = Loss(stepped, ChapterInput, 1.0).Loss.item<double>();

            var moved = ChapterWeights();
            Loss(moved, [-2.0, -1.0, 2.0], 1.0).Loss.backward();
            var nonZero = moved[0].grad!.ne(0).sum().item<long>();

            var generator = new Generator(3);
            var xs = randn([16, 3], generator: generator, dtype: ScalarType.Float64);
            var ys = rand([16], generator: generator, dtype: ScalarType.Float64).gt(0.5).to(ScalarType.Float64);
            var w = randn([3], generator: generator, dtype: ScalarType.Float64);
            var wGrad = w.clone().requires_grad_(true);
            nn.functional.binary_cross_entropy(xs.matmul(wGrad).sigmoid(), ys).backward();

            return new ExerciseReport("03")
                .Number(1, "δ2 with the label y = 0", deltaWithLabel0, z2.grad!.item<double>(), 1e-6)
                .Number(2, "the loss after one step at learning rate 0.1", lossAfterStepAt01, lossAfter, 1e-6)
                .Number(3, "W1's non-zero gradients with x₁ = −2", nonZeroW1Gradients, nonZero)
                .Judge(4, "the gradient of logistic regression", logisticGradient, f => Tensors.Differ(f(xs, ys, w), wGrad.grad!, 1e-9));
        }
    }
}
