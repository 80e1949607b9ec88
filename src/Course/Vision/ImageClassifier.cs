using TorchSharp;
using static TorchSharp.torch;

namespace Course.Vision;

/// <summary>A network that maps images (batch, channels, height, width) to one logit per class (batch, classes):
/// what <see cref="ImageClassifierTrainer"/> trains and checkpoints.</summary>
public abstract class ImageClassifier(string name) : nn.Module<Tensor, Tensor>(name)
{
    /// <summary>The network's shape (a record), as a checkpoint records it; a resumed run must have the same.</summary>
    public abstract object Config { get; }

    public long ParameterCount() => parameters().Sum(p => p.numel());
}
