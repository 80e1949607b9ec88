using Course.Models;
using static TorchSharp.torch;

namespace Course;

public static partial class Exercises
{
    /// <summary>Chapter 04, the transformer block and the GPT. Each right answer is computed here from the library.</summary>
    public static class Chapter04
    {
        /// <param name="gpt2MediumParameters">Exercise 1: the parameters of GPT-2 medium (V = 50257, T = 1024, d = 1024,
        /// L = 24, 16 heads), wpe included.</param>
        /// <param name="initialLossGpt2Vocabulary">Exercise 2: the loss at initialisation over GPT-2's vocabulary.</param>
        /// <param name="keptActivation">Exercise 3: what dropout with p = 0.25, in training mode, makes of an activation of 3
        /// that it keeps.</param>
        /// <param name="residualStd">Exercise 4: the standard deviation of the residual projections' initial weights in a
        /// 12-layer GPT.</param>
        /// <param name="blockByHand">Exercise 5: (block, x) ↦ the block's output, computed from its parameters.</param>
        public static ExerciseReport Check(long? gpt2MediumParameters = null, double? initialLossGpt2Vocabulary = null,
            double? keptActivation = null, double? residualStd = null, Func<Block, Tensor, Tensor>? blockByHand = null)
        {
            using var scope = NewDisposeScope();
            var medium = new GptConfig(VocabSize: 50257, BlockSize: 1024, NLayer: 24, NHead: 16, NEmbd: 1024);

            var dropout = nn.Dropout(0.25);
            dropout.train();
            var kept = dropout.call(full(1000, 3.0f)).max().item<float>();

            // A narrow model with GPT-2 small's 12 layers: the initialisation depends on the depth, not on the width.
            using var deep = new Gpt(new GptConfig(VocabSize: 16, BlockSize: 8, NLayer: 12, NHead: 2, NEmbd: 32));
            var projections = cat(deep.Blocks.SelectMany(b => b.ResidualProjections).Select(l => l.weight!.detach().flatten()).ToArray());
            var measuredStd = projections.std().item<float>();

            var generator = new Generator(4);
            var block = new Block(new GptConfig(VocabSize: 16, BlockSize: 8, NLayer: 1, NHead: 2, NEmbd: 16));
            using (no_grad())
                foreach (var p in block.parameters()) p.copy_(randn(p.shape, generator: generator) * 0.3 + (p.dim() == 1 ? 0.1 : 0));
            block.eval();
            var x = randn([2, 5, 16], generator: generator);

            return new ExerciseReport("04")
                .Number(1, "GPT-2 medium's parameters", gpt2MediumParameters, medium.ParameterCount())
                .Number(2, "the loss at initialisation over GPT-2's vocabulary", initialLossGpt2Vocabulary,
                    Math.Log(Preset.Named("gpt2").Model.VocabSize), 0.01)
                .Number(3, "a kept activation of 3 under dropout 0.25", keptActivation, kept, 1e-4)
                .Number(4, "the residual projections' initial standard deviation, 12 layers", residualStd, measuredStd, 1e-4)
                .Judge(5, "a transformer block by hand", blockByHand, f =>
                {
                    using var noGrad = no_grad();
                    return Tensors.Differ(f(block, x), block.forward(x), 1e-4);
                });
        }
    }
}
