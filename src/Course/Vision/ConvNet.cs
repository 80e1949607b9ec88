using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Course.Vision;

/// <summary>
/// A convolutional network for small images (<see cref="ConvNetConfig"/> has its shape): three 3×3 convolutions with
/// ReLU, a 2×2 max-pooling after the first two, then a dense ReLU layer and the output layer. Parameter names are
/// PyTorch's for the same modules (conv1.weight, conv1.bias, ..., fc2.bias).
/// </summary>
public sealed class ConvNet : ImageClassifier
{
    private readonly Conv2d conv1, conv2, conv3;
    private readonly Linear fc1, fc2;

    public ConvNetConfig Shape { get; }
    public override object Config => Shape;

    /// <summary>The first convolution, whose filters see the pixels themselves.</summary>
    public Conv2d Conv1 => conv1;

    public ConvNet(ConvNetConfig config) : base(nameof(ConvNet))
    {
        Shape = config.Validate();
        conv1 = nn.Conv2d(config.Channels, config.Filters1, ConvNetConfig.Kernel, padding: config.Padding);
        conv2 = nn.Conv2d(config.Filters1, config.Filters2, ConvNetConfig.Kernel, padding: config.Padding);
        conv3 = nn.Conv2d(config.Filters2, config.Filters3, ConvNetConfig.Kernel, padding: config.Padding);
        fc1 = nn.Linear(config.Flattened, config.Hidden);
        fc2 = nn.Linear(config.Hidden, config.Classes);
        RegisterComponents();
    }

    public override Tensor forward(Tensor images)
    {
        var x = nn.functional.max_pool2d(nn.functional.relu(conv1.forward(images)), 2);
        x = nn.functional.max_pool2d(nn.functional.relu(conv2.forward(x)), 2);
        x = nn.functional.relu(conv3.forward(x));
        return fc2.forward(nn.functional.relu(fc1.forward(x.flatten(1))));
    }
}
