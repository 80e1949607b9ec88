using System.Security.Cryptography;
using System.Text;
using Course.Data;

namespace Course.Tests.Data;

/// <summary>A catalog download without a known checksum (TinyStories): allowed only when asked, and pinned on first use.</summary>
public class UnverifiedDownloadTests
{
    private static readonly byte[] Body = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 2000).Select(i => $"Story {i}: a cat sat.\n")));
    private static readonly DownloadOptions Allowed = new() { Timeout = TimeSpan.FromSeconds(5), AllowUnverified = true };

    private int _requests;

    /// <summary>A server of <see cref="Body"/> that counts its requests, and a catalog entry without a sha256 for it.</summary>
    private (LocalHttpServer Server, CatalogEntry Entry) Unverified()
    {
        var server = new LocalHttpServer((c, _, _) =>
        {
            Interlocked.Increment(ref _requests);
            return LocalHttpServer.Serve(c, Body);
        });
        return (server, new CatalogEntry("stories", "download", "test stories", "test licence", server.Url.ToString()));
    }

    [Fact]
    public void The_first_download_records_its_sha256_and_later_loads_check_it()
    {
        var (server, entry) = Unverified();
        using var _ = server;
        using var cache = new TempDirectory();
        var sha = Convert.ToHexStringLower(SHA256.HashData(Body));

        var first = Corpora.LoadDownload(entry, cache.Path, Allowed);
        var file = Path.Combine(cache.Path, "stories", "file.txt");
        Assert.Equal(sha, first.Sha256);
        Assert.Equal(sha, File.ReadAllText(file + Corpora.RecordedShaSuffix).Trim());

        var again = Corpora.LoadDownload(entry, cache.Path, Allowed);
        Assert.Equal(sha, again.Sha256);
        Assert.Equal(1, _requests); // the cached file was used

        File.AppendAllText(file, "a line added later\n");
        var e = Assert.Throws<CorpusException>(() => Corpora.LoadDownload(entry, cache.Path, Allowed));
        Assert.Contains($"but it had {sha} when it was downloaded", e.Message);
        Assert.Contains("Delete both files to download it again", e.Message);
    }

    [Fact]
    public void Without_permission_nothing_is_downloaded()
    {
        var (server, entry) = Unverified();
        using var _ = server;
        using var cache = new TempDirectory();

        var e = Assert.Throws<CorpusException>(() => Corpora.LoadDownload(entry, cache.Path, Allowed with { AllowUnverified = false }));
        Assert.Contains("--allow-unverified", e.Message);
        Assert.Equal(0, _requests);
        Assert.DoesNotContain(Directory.GetFileSystemEntries(cache.Path, "*", SearchOption.AllDirectories), File.Exists);
    }
}
