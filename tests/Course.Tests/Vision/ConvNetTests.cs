using Course.Vision;
using TorchSharp;
using static TorchSharp.torch;

namespace Course.Tests.Vision;

public class ConvNetTests
{
    [Fact]
    public void The_seed_architecture_has_the_tensorflow_examples_parameter_count_on_cifar_sized_images()
    {
        // TensorFlow's CNN tutorial lists 122,570 parameters: 896 + 18,496 + 36,928 + 65,600 + 650.
        using var cifar = new ConvNet(ConvNetConfig.Seed(channels: 3, imageSize: 32, padding: 0));
        Assert.Equal(122_570, cifar.ParameterCount());
        Assert.Equal(new[] { 30, 15, 13, 6, 4 }, cifar.Shape.MapSizes);
        using var logits = cifar.forward(zeros(2, 3, 32, 32));
        Assert.Equal(new long[] { 2, 10 }, logits.shape);
    }

    [Fact]
    public void On_8x8_digits_valid_padding_is_refused_and_same_padding_keeps_each_map()
    {
        var e = Assert.Throws<UserError>(() => ConvNetConfig.Seed(1, 8, padding: 0).Validate());
        Assert.Contains("use padding 1 (same)", e.Message);
        Assert.Equal(1, ImageDatasets.Padding("digits"));
        Assert.Equal(0, ImageDatasets.Padding("cifar10"));
        using var digits = new ConvNet(ConvNetConfig.Seed(1, 8, padding: 1));
        Assert.Equal(new[] { 8, 4, 4, 2, 2 }, digits.Shape.MapSizes);
        Assert.Equal(320 + 18_496 + 36_928 + (64 * 2 * 2 * 64 + 64) + 650, digits.ParameterCount());
    }

    [Fact]
    public void An_mlp_can_be_sized_to_another_networks_parameter_count()
    {
        using var cnn = new ConvNet(ConvNetConfig.Small(1, 8, 1));
        var config = MlpConfig.WithParameters(cnn.ParameterCount(), inputs: 64, classes: 10);
        using var mlp = new Mlp(config);
        Assert.Equal(config.ParameterCount, mlp.ParameterCount());
        Assert.InRange(Math.Abs(mlp.ParameterCount() - cnn.ParameterCount()), 0, 75 / 2); // one hidden unit costs 64 + 1 + 10
    }
}
