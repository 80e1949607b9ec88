using static TorchSharp.torch;

namespace Course.Vision;

/// <summary>
/// Labelled images held as bytes, channel by channel (C × H × W per image, as CIFAR-10 stores them), with the largest
/// pixel value, which turns a byte into an intensity from 0 to 1.
/// </summary>
/// <param name="Pixels">Count × Channels × Height × Width bytes.</param>
/// <param name="Labels">One class index per image.</param>
/// <param name="MaxValue">The pixel value of full intensity: 16 for the digits' ink counts, 255 for CIFAR's colours.</param>
public sealed record ImageSet(byte[] Pixels, int[] Labels, int Channels, int Height, int Width, int MaxValue)
{
    public int Count => Labels.Length;
    public int PixelsPerImage => Channels * Height * Width;

    /// <summary>The images at <paramref name="indices"/>, in that order.</summary>
    public ImageSet Take(IReadOnlyList<int> indices)
    {
        var pixels = new byte[indices.Count * PixelsPerImage];
        for (int i = 0; i < indices.Count; i++)
            Array.Copy(Pixels, (long)indices[i] * PixelsPerImage, pixels, (long)i * PixelsPerImage, PixelsPerImage);
        return this with { Pixels = pixels, Labels = indices.Select(i => Labels[i]).ToArray() };
    }

    /// <summary>The images as a float tensor (count, channels, height, width) of intensities in [0, 1].</summary>
    public Tensor ToTensor(Device? device = null)
    {
        using var bytes = tensor(Pixels, [Count, Channels, Height, Width], device: device);
        return bytes.to(ScalarType.Float32).div_(MaxValue);
    }

    /// <summary>The labels as an int64 tensor, as cross-entropy takes them.</summary>
    public Tensor LabelTensor(Device? device = null) => tensor(Labels.Select(l => (long)l).ToArray(), device: device);

    /// <summary>Image <paramref name="index"/>'s channel as a grid of intensities in [0, 1], row 0 on top: for a heatmap.</summary>
    public float[,] Picture(int index, int channel = 0)
    {
        var grid = new float[Height, Width];
        var start = (long)index * PixelsPerImage + channel * Height * Width;
        for (int y = 0; y < Height; y++)
            for (int x = 0; x < Width; x++)
                grid[y, x] = Pixels[start + y * Width + x] / (float)MaxValue;
        return grid;
    }
}
