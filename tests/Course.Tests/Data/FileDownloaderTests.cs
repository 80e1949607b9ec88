using System.Diagnostics;
using System.Security.Cryptography;
using Course.Data;

namespace Course.Tests.Data;

public class FileDownloaderTests
{
    private static readonly byte[] Body = RandomNumberGenerator.GetBytes(300_000);
    private static readonly string BodySha = Convert.ToHexStringLower(SHA256.HashData(Body));
    private static readonly DownloadOptions Fast = new() { Timeout = TimeSpan.FromSeconds(5) };

    [Fact]
    public async Task A_full_download_is_verified_renamed_and_reported()
    {
        using var server = new LocalHttpServer((c, _, _) => LocalHttpServer.Serve(c, Body));
        using var dir = new TempDirectory();
        var target = dir.File("file.txt");
        var reports = new List<DownloadProgress>();

        var sha = await FileDownloader.DownloadAsync(server.Url, target, BodySha, Fast with { Progress = new SyncProgress<DownloadProgress>(reports.Add) });

        Assert.Equal(BodySha, sha);
        Assert.Equal(Body, File.ReadAllBytes(target));
        Assert.False(File.Exists(target + FileDownloader.PartialSuffix));
        Assert.Equal(new DownloadProgress(Body.Length, Body.Length, reports[^1].BytesPerSecond, TimeSpan.Zero), reports[^1]);
    }

    [Fact]
    public async Task A_dropped_connection_is_resumed_with_a_range_request()
    {
        using var server = new LocalHttpServer(async (c, number, _) =>
        {
            if (number > 1) { await LocalHttpServer.Serve(c, Body); return; }
            // The first answer promises the whole file, sends a third of it and drops the connection.
            c.Response.ContentLength64 = Body.Length;
            await c.Response.OutputStream.WriteAsync(Body.AsMemory(0, 100_000));
            await c.Response.OutputStream.FlushAsync();
            await Task.Delay(100);
            c.Response.Abort();
        });
        using var dir = new TempDirectory();
        var target = dir.File("file.txt");

        await FileDownloader.DownloadAsync(server.Url, target, BodySha, Fast);

        Assert.Equal(Body, File.ReadAllBytes(target));
        var ranges = server.RangesInOrder.ToArray();
        Assert.Equal(2, ranges.Length);
        Assert.Null(ranges[0]);
        Assert.Matches(@"^bytes=[1-9]\d*-$", ranges[1]);
    }

    [Fact]
    public async Task A_server_that_ignores_the_range_starts_the_file_over()
    {
        using var server = new LocalHttpServer(async (c, _, _) =>
        {
            c.Response.ContentLength64 = Body.Length;
            await c.Response.OutputStream.WriteAsync(Body);
            c.Response.Close();
        });
        using var dir = new TempDirectory();
        var target = dir.File("file.txt");
        File.WriteAllBytes(target + FileDownloader.PartialSuffix, new byte[1234]);

        await FileDownloader.DownloadAsync(server.Url, target, BodySha, Fast);

        Assert.Equal("bytes=1234-", server.RangesInOrder.Single());
        Assert.Equal(Body, File.ReadAllBytes(target));
    }

    [Fact]
    public async Task A_wrong_checksum_deletes_the_partial_file_and_says_so()
    {
        using var server = new LocalHttpServer((c, _, _) => LocalHttpServer.Serve(c, Body));
        using var dir = new TempDirectory();
        var target = dir.File("file.txt");
        var expected = new string('0', 64);

        var e = await Assert.ThrowsAsync<CorpusException>(() => FileDownloader.DownloadAsync(server.Url, target, expected, Fast));

        Assert.Contains($"has SHA-256 {BodySha}, not the expected {expected}", e.Message);
        Assert.Contains("was deleted", e.Message);
        Assert.False(File.Exists(target));
        Assert.False(File.Exists(target + FileDownloader.PartialSuffix));
    }

    [Fact]
    public async Task Not_found_says_where_to_put_the_file_by_hand()
    {
        using var server = new LocalHttpServer((c, _, _) => { c.Response.StatusCode = 404; c.Response.Close(); return Task.CompletedTask; });
        using var dir = new TempDirectory();
        var target = dir.File("file.txt");

        var e = await Assert.ThrowsAsync<CorpusException>(() => FileDownloader.DownloadAsync(server.Url, target, BodySha, Fast));

        Assert.Contains("404", e.Message);
        Assert.Contains($"put the file at {target} (its SHA-256 must be {BodySha})", e.Message);
        Assert.False(File.Exists(target));
        Assert.Single(server.RangesInOrder);
    }

    [Fact]
    public async Task Offline_says_where_to_put_the_file_by_hand()
    {
        using var dir = new TempDirectory();
        var target = dir.File("file.txt");
        var nobody = new Uri($"http://127.0.0.1:{LocalHttpServer.FreePort()}/file.txt");

        var e = await Assert.ThrowsAsync<CorpusException>(() => FileDownloader.DownloadAsync(nobody, target, BodySha, Fast));

        Assert.Contains($"Downloading {nobody} failed", e.Message);
        Assert.Contains($"put the file at {target} (its SHA-256 must be {BodySha})", e.Message);
    }

    [Fact]
    public async Task A_server_that_never_answers_times_out()
    {
        using var server = new LocalHttpServer((_, _, stop) => Task.Delay(Timeout.Infinite, stop));
        using var dir = new TempDirectory();
        var clock = Stopwatch.StartNew();

        var e = await Assert.ThrowsAsync<CorpusException>(() =>
            FileDownloader.DownloadAsync(server.Url, dir.File("file.txt"), BodySha, new DownloadOptions { Timeout = TimeSpan.FromSeconds(1) }));

        Assert.Contains("the server sent nothing for 1 s", e.Message);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Without_a_checksum_the_download_is_refused_unless_allowed()
    {
        using var server = new LocalHttpServer((c, _, _) => LocalHttpServer.Serve(c, Body));
        using var dir = new TempDirectory();
        var target = dir.File("file.txt");

        var e = await Assert.ThrowsAsync<CorpusException>(() => FileDownloader.DownloadAsync(server.Url, target, sha256: null, Fast));
        Assert.Contains("--allow-unverified", e.Message);
        Assert.Empty(server.RangesInOrder);

        var sha = await FileDownloader.DownloadAsync(server.Url, target, sha256: null, Fast with { AllowUnverified = true });
        Assert.Equal(BodySha, sha);
    }

    [Fact]
    public void A_hand_placed_cache_file_with_the_wrong_checksum_is_reported_and_kept()
    {
        using var cache = new TempDirectory();
        var placed = Path.Combine(cache.Path, "tinyshakespeare", "input.txt");
        Directory.CreateDirectory(Path.GetDirectoryName(placed)!);
        File.WriteAllText(placed, "To be, or not to be");

        var e = Assert.Throws<CorpusException>(() => Corpora.Load("tinyshakespeare", cache.Path));

        Assert.Contains($"The cached file {placed} has SHA-256", e.Message);
        Assert.Contains(CorpusCatalog.Find("tinyshakespeare")!.Sha256!, e.Message);
        Assert.True(File.Exists(placed));
    }
}
