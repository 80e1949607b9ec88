using Course.Vision;
using static TorchSharp.torch;

namespace Course;

public static partial class Exercises
{
    /// <summary>Chapter 13, convolutional networks. Each right answer is computed here from the library.</summary>
    public static class Chapter13
    {
        /// <param name="parametersWithFilters1Of32">Exercise 1: the chapter's CNN's parameters with Filters1 = 32.</param>
        /// <param name="validFlattened">Exercise 2: values entering the dense layer, 3×32×32 images, valid padding.</param>
        /// <param name="paddedParameters">Exercise 2: the classic network's parameters with padding 1.</param>
        /// <param name="convolutionByUnfold">Exercise 4: (x, weight, bias) ↦ conv2d with padding 1, as one matrix product.</param>
        /// <param name="weightGradient">Exercise 5: (x, g) ↦ ∂L/∂w of a 3×3 convolution with padding 1 and 3 filters.</param>
        public static ExerciseReport Check(long? parametersWithFilters1Of32 = null, long? validFlattened = null, long? paddedParameters = null,
            Func<Tensor, Tensor, Tensor, Tensor>? convolutionByUnfold = null, Func<Tensor, Tensor, Tensor>? weightGradient = null)
        {
            using var scope = NewDisposeScope();
            var wider = new ConvNet(new ConvNetConfig(Channels: 1, ImageSize: 8, Filters1: 32, Filters2: 32, Filters3: 32, Hidden: 32, Classes: 10, Padding: 1));
            var generator = new TorchSharp.torch.Generator(13);
            var x = randn([2, 3, 7, 7], generator: generator);
            var w = randn([4, 3, 3, 3], generator: generator);
            var b = randn([4], generator: generator);
            var g = randn([2, 4, 7, 7], generator: generator);
            return new ExerciseReport("13")
                .Number(1, "parameters with Filters1 = 32", parametersWithFilters1Of32, wider.ParameterCount())
                .Number(2, "values into the dense layer, valid padding", validFlattened, ConvNetConfig.Seed(channels: 3, imageSize: 32, padding: 0).Flattened)
                .Number(2, "parameters with padding 1", paddedParameters, new ConvNet(ConvNetConfig.Seed(channels: 3, imageSize: 32, padding: 1)).ParameterCount())
                .Judge(4, "conv2d as a matrix product", convolutionByUnfold,
                    f => Tensors.Differ(f(x, w, b), nn.functional.conv2d(x, w, b, strides: [1, 1], padding: [1, 1]), 1e-4))
                .Judge(5, "the gradient of the weights", weightGradient, f =>
                {
                    var weights = w.clone().requires_grad_(true);
                    (nn.functional.conv2d(x, weights, padding: [1, 1]) * g).sum().backward();
                    return Tensors.Differ(f(x, g), weights.grad!, 1e-3);
                });
        }
    }
}
