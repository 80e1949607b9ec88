using TorchSharp;
using static TorchSharp.torch;

namespace Course;

public static partial class Exercises
{
    /// <summary>Chapter 00, tensors, autograd and dispose scopes. Each right answer is computed here from libtorch.</summary>
    public static class Chapter00
    {
        /// <param name="broadcastShape">Exercise 1: the shape of a (2, 1, 3) tensor plus a (4, 1) tensor.</param>
        /// <param name="derivative">Exercise 2: dy/dx of y = x³ − 2x at x = 1.5.</param>
        /// <param name="matmulByLoops">Exercise 4: (A, B) ↦ A·B for 2-D tensors, without matmul.</param>
        /// <param name="varianceInScope">Exercise 5: x ↦ the variance of x (dividing by n), computed inside a dispose
        /// scope from which only the result leaves.</param>
        public static ExerciseReport Check(long[]? broadcastShape = null, double? derivative = null,
            Func<Tensor, Tensor, Tensor>? matmulByLoops = null, Func<Tensor, Tensor>? varianceInScope = null)
        {
            using var scope = NewDisposeScope();
            var generator = new Generator(0);
            var a = randn([3, 4], generator: generator);
            var b = randn([4, 2], generator: generator);
            var x = randn([5, 6], generator: generator);
            var shape = (zeros(2, 1, 3) + zeros(4, 1)).shape;
            var point = tensor(1.5, requires_grad: true);
            (point.pow(3) - 2 * point).backward();
            return new ExerciseReport("00")
                .Judge(1, "the shape of (2, 1, 3) + (4, 1)", broadcastShape, given => given.SequenceEqual(shape)
                    ? null
                    : $"[{string.Join(", ", given)}] is not it")
                .Number(2, "dy/dx of x³ − 2x at x = 1.5", derivative, point.grad!.item<double>(), 1e-6)
                .Judge(4, "matrix multiplication without matmul", matmulByLoops, f => Tensors.Differ(f(a, b), a.matmul(b), 1e-5))
                .Judge(5, "a variance that alone leaves its scope", varianceInScope, f =>
                {
                    long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
                    var variance = f(x);
                    long added = DisposeScopeManager.Statistics.ThreadTotalLiveCount - before;
                    // var() divides by n − 1; the exercise asks for n.
                    return Tensors.Differ(variance, x.var() * (x.numel() - 1) / x.numel(), 1e-5)
                        ?? (added == 1 ? null : $"{added} tensors outlive your function; only the result should");
                });
        }
    }
}
