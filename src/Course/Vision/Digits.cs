using System.IO.Compression;
using System.Security.Cryptography;

namespace Course.Vision;

/// <summary>
/// The UCI hand-written digits: 1,797 greyscale images of 8×8 pixels, each pixel an ink count from 0 to 16, labelled
/// 0–9 (data/digits/README.md has the source, citation and licence). The file travels inside this assembly, so
/// chapters and commands find it offline, from any folder.
/// </summary>
public static class Digits
{
    public const string Name = "digits";
    public const int Size = 8, MaxValue = 16, TestCount = 360, ValidationCount = 180;
    public const string Source = "UCI Optical Recognition of Handwritten Digits, test set (E. Alpaydin, C. Kaynak, 1998; https://doi.org/10.24432/C50P49), CC BY 4.0";

    private const string ResourceName = "Course.Vision.digits.csv.gz";

    /// <summary>The classes' names: the digits themselves.</summary>
    public static IReadOnlyList<string> ClassNames { get; } = Enumerable.Range(0, 10).Select(d => d.ToString()).ToArray();

    /// <summary>All 1,797 images in the file's order.</summary>
    public static ImageSet ReadAll() => Read().Images;

    /// <summary>The images split at random, with a fixed seed so that every machine gets the same split: 360 test,
    /// 180 validation and the other 1,257 for training.</summary>
    public static ImageDataset Load()
    {
        var (all, sha256) = Read();
        var order = Enumerable.Range(0, all.Count).ToArray();
        var random = new Random(0); // seeded System.Random gives the same sequence on every .NET version
        for (int i = order.Length - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return new ImageDataset(Name, sha256, Source, ClassNames,
            Train: all.Take(order[(TestCount + ValidationCount)..]),
            Validation: all.Take(order[TestCount..(TestCount + ValidationCount)]),
            Test: all.Take(order[..TestCount]));
    }

    private static (ImageSet Images, string Sha256) Read()
    {
        using var resource = typeof(Digits).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The digits resource {ResourceName} is missing from the build; rebuild the Course project.");
        var compressed = new MemoryStream();
        resource.CopyTo(compressed);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(compressed.ToArray()));
        compressed.Position = 0;
        using var reader = new StreamReader(new GZipStream(compressed, CompressionMode.Decompress));
        var pixels = new List<byte>();
        var labels = new List<int>();
        for (var line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            var values = line.Split(',').Select(int.Parse).ToArray();
            if (values.Length != Size * Size + 1 || values[..^1].Any(v => v is < 0 or > MaxValue) || values[^1] is < 0 or > 9)
                throw new InvalidDataException($"Line {labels.Count + 1} of {ResourceName} is not 64 pixels from 0 to 16 and a digit; the embedded file is damaged.");
            pixels.AddRange(values[..^1].Select(v => (byte)v));
            labels.Add(values[^1]);
        }
        return (new ImageSet(pixels.ToArray(), labels.ToArray(), Channels: 1, Size, Size, MaxValue), sha256);
    }
}
