using Course.Vision;

namespace Course.Tests.Vision;

public class DigitsTests
{
    [Fact]
    public void The_shipped_file_holds_the_1797_uci_test_images()
    {
        var all = Digits.ReadAll();
        Assert.Equal(1797, all.Count);
        Assert.Equal((1, 8, 8, 16), (all.Channels, all.Height, all.Width, all.MaxValue));
        Assert.All(all.Pixels, p => Assert.InRange((int)p, 0, 16));
        // Per class, as data/digits/README.md states.
        Assert.Equal(new[] { 178, 182, 177, 183, 181, 182, 181, 179, 174, 180 }, Enumerable.Range(0, 10).Select(d => all.Labels.Count(l => l == d)));
        // The first image is a 0: its top row is 0,0,5,13,9,1,0,0 ink counts.
        Assert.Equal(0, all.Labels[0]);
        Assert.Equal(new[] { 0f, 0, 5 / 16f, 13 / 16f, 9 / 16f, 1 / 16f, 0, 0 }, Enumerable.Range(0, 8).Select(x => all.Picture(0)[0, x]));
    }

    [Fact]
    public void The_split_is_fixed_and_uses_every_image_once()
    {
        var data = Digits.Load();
        Assert.Equal((1257, 180, 360), (data.Train.Count, data.Validation.Count, data.Test.Count));
        Assert.Equal("46abec6b12486ad9e51943373abcf22bbea1b5a51a1619b361570d8893f1464a", data.Sha256);
        Assert.Equal(Digits.Load().Test.Pixels, data.Test.Pixels);
        var all = Digits.ReadAll();
        var images = new[] { data.Train, data.Validation, data.Test }.SelectMany(s => s.Pixels.Chunk(64).Zip(s.Labels, (p, l) => $"{l}:{Convert.ToHexString(p)}"));
        Assert.Equal(all.Pixels.Chunk(64).Zip(all.Labels, (p, l) => $"{l}:{Convert.ToHexString(p)}").Order(), images.Order());
    }
}
