using System.Text.Json.Serialization;

namespace Course.Vision;

/// <summary>
/// The shape of a <see cref="ConvNet"/>: conv (Filters1) → max-pool → conv (Filters2) → max-pool → conv (Filters3) →
/// dense (Hidden) → Classes, every convolution 3×3 with stride 1 and a ReLU, every pooling 2×2 with stride 2.
/// </summary>
/// <param name="Padding">Zeros added around each convolution's input: 0 ("valid", each 3×3 convolution trims a pixel
/// from every border) or 1 ("same", the size is kept).</param>
public sealed record ConvNetConfig(int Channels, int ImageSize, int Filters1, int Filters2, int Filters3, int Hidden, int Classes, int Padding)
{
    public const int Kernel = 3;

    /// <summary>The architecture of the seed's TensorFlow example (conv 32 → pool → conv 64 → pool → conv 64 →
    /// dense 64 → 10), for images of <paramref name="imageSize"/> pixels with <paramref name="channels"/> channels.</summary>
    public static ConvNetConfig Seed(int channels, int imageSize, int padding) => new(channels, imageSize, 32, 64, 64, 64, 10, padding);

    /// <summary>The same shape, narrower: a few thousand parameters, seconds of training on a CPU.</summary>
    public static ConvNetConfig Small(int channels, int imageSize, int padding) => new(channels, imageSize, 8, 16, 16, 32, 10, padding);

    /// <summary>The named presets of `course vision train --preset`.</summary>
    public static IReadOnlyDictionary<string, Func<int, int, int, ConvNetConfig>> Presets { get; } =
        new Dictionary<string, Func<int, int, int, ConvNetConfig>> { ["seed"] = Seed, ["small"] = Small };

    /// <summary>The side of the square maps after each layer: conv1, pool, conv2, pool, conv3.</summary>
    [JsonIgnore]
    public IReadOnlyList<int> MapSizes
    {
        get
        {
            int Conv(int size) => size + 2 * Padding - Kernel + 1;
            var sizes = new List<int> { Conv(ImageSize) };
            sizes.Add(sizes[^1] / 2);
            sizes.Add(Conv(sizes[^1]));
            sizes.Add(sizes[^1] / 2);
            sizes.Add(Conv(sizes[^1]));
            return sizes;
        }
    }

    /// <summary>The inputs of the dense layer: conv3's maps, flattened.</summary>
    [JsonIgnore]
    public int Flattened => Filters3 * MapSizes[^1] * MapSizes[^1];

    public ConvNetConfig Validate()
    {
        if (new[] { Channels, ImageSize, Filters1, Filters2, Filters3, Hidden, Classes }.Any(n => n <= 0))
            throw new UserError($"Every size of a ConvNet must be positive (got {this}).");
        if (Padding is not (0 or 1))
            throw new UserError($"Padding must be 0 (valid) or 1 (same); got {Padding}.");
        if (MapSizes.Any(s => s < 1))
            throw new UserError($"{ImageSize}×{ImageSize} images shrink to nothing in this network with padding {Padding} " +
                $"(map sizes {string.Join(" → ", MapSizes)}); use padding 1 (same) for images this small.");
        return this;
    }
}
