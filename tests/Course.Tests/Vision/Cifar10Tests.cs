using Course.Data;
using Course.Tests.Data;
using Course.Vision;

namespace Course.Tests.Vision;

/// <summary>CIFAR-10's catalog path end to end against a real HTTP server on 127.0.0.1: download, verification,
/// resuming an interrupted transfer, and reading the binary format.</summary>
public class Cifar10Tests
{
    private static readonly DownloadOptions Fast = new() { Timeout = TimeSpan.FromSeconds(5) };
    private static readonly CifarArchive Archive = new();

    private static CatalogEntry EntryFor(LocalHttpServer server, string? sha256 = null) =>
        new("cifar10-test", CorpusCatalog.ImagesKind, "a synthetic CIFAR-10", "test", server.Url.ToString().Replace("file.txt", "cifar-10-binary.tar.gz"),
            Archive.Bytes.Length, sha256 ?? Archive.Sha256);

    [Fact]
    public void The_catalog_pins_the_official_archive()
    {
        var entry = CorpusCatalog.Find("cifar10")!;
        Assert.Equal(CorpusCatalog.ImagesKind, entry.Kind);
        Assert.Equal("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz", entry.Url);
        Assert.Equal(170_052_171, entry.Bytes);
        Assert.Equal("c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd", entry.Sha256);
        Assert.DoesNotContain("cifar10", CorpusCatalog.Names); // not a text corpus
        var e = Assert.Throws<CorpusException>(() => Corpora.Load("cifar10"));
        Assert.Contains("course vision train --dataset cifar10", e.Message);
    }

    [Fact]
    public void A_downloaded_archive_is_read_record_by_record()
    {
        using var server = new LocalHttpServer((c, _, _) => LocalHttpServer.Serve(c, Archive.Bytes));
        using var cache = new TempDirectory();

        var data = Cifar10.Load(cache.Path, Fast, EntryFor(server));

        Assert.Equal(CifarArchive.ClassNames, data.ClassNames);
        Assert.Equal(Archive.Sha256, data.Sha256);
        Assert.Equal((3, 32), (data.Channels, data.ImageSize));
        // 20 training records: the last tenth (2) is the validation split.
        Assert.Equal((18, 2, 3), (data.Train.Count, data.Validation.Count, data.Test.Count));
        var all = Archive.Train;
        Assert.Equal(all.Select(r => r.Label), data.Train.Labels.Concat(data.Validation.Labels));
        Assert.Equal(all[5].Pixels, data.Train.Pixels.AsSpan(5 * 3072, 3072).ToArray());
        Assert.Equal(all[^1].Pixels, data.Validation.Pixels.AsSpan(3072, 3072).ToArray());
        Assert.Equal(Archive.Test.Select(r => r.Label), data.Test.Labels);
        Assert.Equal(Archive.Test[2].Pixels, data.Test.Pixels.AsSpan(2 * 3072, 3072).ToArray());
        // Red, green, blue planes of 32×32, row by row: pixel (y, x) of channel c is byte c·1024 + 32·y + x.
        Assert.Equal(Archive.Test[1].Pixels[2 * 1024 + 32 * 5 + 7] / 255f, data.Test.Picture(1, channel: 2)[5, 7]);
        Assert.True(File.Exists(Path.Combine(cache.Path, "cifar10-test", "cifar-10-binary.tar.gz")));

        Cifar10.Load(cache.Path, Fast, EntryFor(server)); // read again from the cache
        Assert.Single(server.RangesInOrder);
    }

    [Fact]
    public void An_interrupted_transfer_is_continued_with_a_range_request()
    {
        using var server = new LocalHttpServer(async (c, number, _) =>
        {
            if (number > 1) { await LocalHttpServer.Serve(c, Archive.Bytes); return; }
            // The first answer promises the whole archive, sends a third of it and drops the connection.
            c.Response.ContentLength64 = Archive.Bytes.Length;
            await c.Response.OutputStream.WriteAsync(Archive.Bytes.AsMemory(0, Archive.Bytes.Length / 3));
            await c.Response.OutputStream.FlushAsync();
            await Task.Delay(100);
            c.Response.Abort();
        });
        using var cache = new TempDirectory();

        var data = Cifar10.Load(cache.Path, Fast, EntryFor(server));

        Assert.Equal(Archive.Test.Select(r => r.Label), data.Test.Labels);
        var ranges = server.RangesInOrder.ToArray();
        Assert.Equal(2, ranges.Length);
        Assert.Null(ranges[0]);
        Assert.Matches(@"^bytes=[1-9]\d*-$", ranges[1]);
    }

    [Fact]
    public void A_wrong_checksum_keeps_nothing_and_says_where_to_put_the_file()
    {
        using var server = new LocalHttpServer((c, _, _) => LocalHttpServer.Serve(c, Archive.Bytes));
        using var cache = new TempDirectory();
        var expected = new string('0', 64);

        var e = Assert.Throws<CorpusException>(() => Cifar10.Load(cache.Path, Fast, EntryFor(server, expected)));

        Assert.Contains($"has SHA-256 {Archive.Sha256}, not the expected {expected}", e.Message);
        Assert.Contains("To provide it by hand, put the file at", e.Message);
        Assert.DoesNotContain(Directory.GetFileSystemEntries(cache.Path, "*", SearchOption.AllDirectories), File.Exists);
    }

    [Fact]
    public void A_file_that_is_not_the_binary_archive_is_refused_with_what_is_wrong()
    {
        using var folder = new TempDirectory();
        var wrong = folder.File("cifar-10-binary.tar.gz");
        File.WriteAllBytes(wrong, "not an archive"u8.ToArray());
        var e = Assert.Throws<CorpusException>(() => Cifar10.Read(wrong, "sha", "test"));
        Assert.Contains("is not CIFAR-10's binary archive: it cannot be read as a .tar.gz", e.Message);
        Assert.Contains("Delete it to download it again", e.Message);

        File.WriteAllBytes(wrong, Archive.Bytes[..(Archive.Bytes.Length / 2)]);
        Assert.Throws<CorpusException>(() => Cifar10.Read(wrong, "sha", "test"));
    }
}
