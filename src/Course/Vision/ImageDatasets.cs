using Course.Data;
using Course.Training;

namespace Course.Vision;

/// <summary>The image sets `course vision train --dataset` takes, each with its image shape, the padding its images
/// need and a training recipe that suits it.</summary>
public static class ImageDatasets
{
    public static IReadOnlyList<string> Names { get; } = [Digits.Name, Cifar10.Name];

    /// <summary>Channels and side of the images of <paramref name="name"/>, known before anything is loaded.</summary>
    public static (int Channels, int Size) Shape(string name) => name switch
    {
        Digits.Name => (1, Digits.Size),
        Cifar10.Name => (Cifar10.Channels, Cifar10.Size),
        _ => throw Unknown(name),
    };

    /// <summary>The seed's "valid" convolutions (0) where the images are large enough for them, as CIFAR-10's are;
    /// 8×8 digits would shrink to nothing (8 → 6 → 3 → 1 → 0), so their convolutions pad with one ring of zeros
    /// ("same", 1) and keep each map's size.</summary>
    public static int Padding(string name)
    {
        var (channels, size) = Shape(name);
        return ConvNetConfig.Seed(channels, size, padding: 0).MapSizes.All(s => s >= 1) ? 0 : 1;
    }

    /// <summary>Steps, batch, learning rate and evaluation cadence. CIFAR-10's is about ten passes over the training
    /// images (the seed trained for ten epochs); evaluations cover the whole validation split.</summary>
    public static TrainingOptions Recipe(string name) => name switch
    {
        Digits.Name => new TrainingOptions { MaxSteps = 600, BatchSize = 64, WarmupSteps = 30, EvalInterval = 100, EvalBatches = 3, WeightDecay = 0.01 }.WithLearningRate(3e-3),
        Cifar10.Name => new TrainingOptions { MaxSteps = 7000, BatchSize = 64, WarmupSteps = 100, EvalInterval = 500, EvalBatches = 79, WeightDecay = 0.01 }.WithLearningRate(1e-3),
        _ => throw Unknown(name),
    };

    /// <summary>The data set, read (CIFAR-10: downloaded first when it is not in the cache).</summary>
    public static ImageDataset Load(string name, DownloadOptions? download = null) => name switch
    {
        Digits.Name => Digits.Load(),
        Cifar10.Name => Cifar10.Load(download: download),
        _ => throw Unknown(name),
    };

    private static ArgumentException Unknown(string name) => new($"Unknown image data set '{name}'. Use one of: {string.Join(", ", Names)}.");
}
