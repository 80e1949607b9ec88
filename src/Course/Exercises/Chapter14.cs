using Course.Models;
using static TorchSharp.torch;

namespace Course;

public static partial class Exercises
{
    /// <summary>Chapter 14, shipping a model. Each right answer is computed here from the library and the chapter's
    /// definitions (the int8 code itself lives in Course.Shipping, which this library cannot reference; the
    /// solutions notebook checks the definition below against it).</summary>
    public static class Chapter14
    {
        /// <summary>The `tiny` preset with width 64, for the chapter's 103-character vocabulary.</summary>
        private static GptConfig Wider => Preset.Named("tiny").ModelFor(103) with { NEmbd = 64 };

        /// <param name="fp32WeightBytes">Exercise 1: bytes of the weights of `tiny` with NEmbd = 64, in fp32.</param>
        /// <param name="int8MatrixBytes">Exercise 2: bytes of that model's block-0 c_attn weight in int8, with one fp32 scale per row.</param>
        /// <param name="largestRoundingError">Exercise 3: the largest rounding error in a row whose largest |w| is 0.5.</param>
        /// <param name="roundTrip">Exercise 4: w ↦ s · q, per-row symmetric int8 quantisation and back.</param>
        public static ExerciseReport Check(long? fp32WeightBytes = null, long? int8MatrixBytes = null, double? largestRoundingError = null,
            Func<Tensor, Tensor>? roundTrip = null)
        {
            using var scope = NewDisposeScope();
            var model = new Gpt(Wider);
            var cAttn = model.named_parameters().First(p => p.name == "transformer.h.0.attn.c_attn.weight").parameter;
            var (rows, columns) = (cAttn.shape[0], cAttn.shape[1]);
            var w = randn([6, 20], generator: new Generator(14)) * tensor(new float[] { 0.01f, 0.1f, 1, 3, 0.5f, 0.02f }).unsqueeze(1);
            return new ExerciseReport("14")
                .Number(1, "fp32 bytes of the weights, NEmbd = 64", fp32WeightBytes, model.ParameterCount() * sizeof(float))
                .Number(2, "int8 bytes of c_attn with per-row scales", int8MatrixBytes, rows * columns + rows * sizeof(float))
                .Number(3, "largest rounding error when max |w| = 0.5", largestRoundingError, 0.5 / 127 / 2, 1e-6)
                .Judge(4, "int8 round trip by hand", roundTrip, f =>
                {
                    var scales = w.abs().amax([1], keepdim: true) / 127;
                    return Tensors.Differ(f(w), (w / scales).round().clamp(-127, 127) * scales, 1e-6);
                });
        }
    }
}
