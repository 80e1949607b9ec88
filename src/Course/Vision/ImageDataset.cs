namespace Course.Vision;

/// <summary>An image classification data set split three ways: training, validation (for choosing the best
/// checkpoint) and test (scored once, at the end).</summary>
/// <param name="Name">The name `course vision train --dataset` takes: "digits" or "cifar10".</param>
/// <param name="Sha256">The SHA-256 of the file the images were read from, which a checkpoint records.</param>
/// <param name="Source">Where the images come from and under which terms, for reports.</param>
public sealed record ImageDataset(string Name, string Sha256, string Source, IReadOnlyList<string> ClassNames,
    ImageSet Train, ImageSet Validation, ImageSet Test)
{
    public int Channels => Train.Channels;
    public int ImageSize => Train.Height;
}
