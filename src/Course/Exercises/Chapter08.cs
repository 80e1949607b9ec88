using Course.Models;
using Course.Training;
using static TorchSharp.torch;

namespace Course;

public static partial class Exercises
{
    /// <summary>Chapter 08, GPU pretraining. Each right answer is computed here from the library.</summary>
    public static class Chapter08
    {
        /// <param name="flopsPerTokenAt2048">Exercise 1: GPT-2 small's training FLOPs per token with a context of 2,048.</param>
        /// <param name="mfuAt2MillionTokens">Exercise 2: the MFU (a fraction) of the shakespeare-char model at 2,000,000 tokens/s on a 989 TFLOP/s GPU.</param>
        /// <param name="bf16SpacingAt256">Exercise 3: the gap between 256 and the next larger bf16 number.</param>
        /// <param name="shakespeareTensors">Exercise 4: the parameter tensors of the shakespeare-char model (6 layers).</param>
        /// <param name="flopsPerToken">Exercise 6: config ↦ training FLOPs per token, 6N + 12·L·d·T.</param>
        public static ExerciseReport Check(double? flopsPerTokenAt2048 = null, double? mfuAt2MillionTokens = null, double? bf16SpacingAt256 = null,
            long? shakespeareTensors = null, Func<GptConfig, double>? flopsPerToken = null)
        {
            using var scope = NewDisposeScope();
            var gpt2 = Preset.Named("gpt2").Model;
            var wide = gpt2 with { BlockSize = 2048 };
            var expectedFlops = Throughput.FlopsPerToken(wide);
            var shakespeare = Preset.Named("shakespeare-char").Model;
            // The tensors do not depend on the width: count them on a narrow model with the same layers.
            using var narrow = new Gpt(shakespeare with { NEmbd = 12, NHead = 6, BlockSize = 8 });
            return new ExerciseReport("08")
                .Number(1, "FLOPs per token with T = 2,048", flopsPerTokenAt2048, expectedFlops, 1e-4 * expectedFlops)
                .Number(2, "MFU at 2,000,000 tokens/s", mfuAt2MillionTokens, Throughput.Mfu(shakespeare, 2_000_000, 989), 5e-4)
                .Number(3, "bf16 spacing above 256", bf16SpacingAt256, Bf16SpacingAbove(256))
                .Number(4, "parameter tensors of shakespeare-char", shakespeareTensors, narrow.parameters().Count())
                .Judge(6, "FLOPs per token", flopsPerToken, f =>
                {
                    foreach (var config in new[] { gpt2, shakespeare, Preset.Named("tiny").Model, wide })
                    {
                        var expected = Throughput.FlopsPerToken(config);
                        var given = f(config);
                        if (Math.Abs(given - expected) > 1e-9 * expected) return $"{given:E4} for {config.NLayer} layers of width {config.NEmbd}, expected {expected:E4}";
                    }
                    return null;
                });
        }

        /// <summary>The smallest power of two that, added to <paramref name="x"/> in bf16, changes it.</summary>
        private static double Bf16SpacingAbove(double x)
        {
            var start = tensor((float)x).to(ScalarType.BFloat16);
            for (var step = 1.0 / 1024; ; step *= 2)
                if ((start + tensor((float)step).to(ScalarType.BFloat16)).to(ScalarType.Float32).item<float>() > x) return step;
        }
    }
}
