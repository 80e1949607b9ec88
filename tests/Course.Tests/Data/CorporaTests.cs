using System.Security.Cryptography;
using System.Text;
using Course.Data;

namespace Course.Tests.Data;

public class CorporaTests
{
    [Fact]
    public void Default_corpus_is_extracted_deterministically_and_cached()
    {
        using var first = new TempDirectory();
        using var second = new TempDirectory();
        var a = Corpora.Load(Corpora.Default, first.Path);
        var b = Corpora.Load(Corpora.Default, second.Path);

        Assert.Equal(a.Sha256, b.Sha256);
        Assert.Equal(a.Text, b.Text);
        Assert.True(a.Bytes > 1_000_000, $"expected megabytes of documentation, got {a.Bytes} bytes");
        Assert.Contains("Microsoft.NETCore.App.Ref", a.Source);
        Assert.EndsWith("\n", a.Text);
        Assert.DoesNotContain("<see", a.Text);

        var cached = Directory.GetFiles(first.Path, "*.txt", SearchOption.AllDirectories);
        Assert.Single(cached);
        Assert.Equal(a.Sha256, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(cached[0]))));
        // A second load in the same cache reads the cached file rather than extracting again.
        var writeTime = File.GetLastWriteTimeUtc(cached[0]);
        Assert.Equal(a.Sha256, Corpora.Load(Corpora.Default, first.Path).Sha256);
        Assert.Equal(writeTime, File.GetLastWriteTimeUtc(cached[0]));
    }

    [Fact]
    public void A_text_file_loads_with_size_and_checksum_of_its_bytes()
    {
        using var dir = new TempDirectory();
        var path = dir.File("mine.txt");
        var bytes = Encoding.UTF8.GetBytes("héllo wörld 🌍\n");
        File.WriteAllBytes(path, bytes);

        var corpus = Corpora.Load(path);

        Assert.Equal("héllo wörld 🌍\n", corpus.Text);
        Assert.Equal(bytes.Length, corpus.Bytes);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), corpus.Sha256);
    }

    [Fact]
    public void A_byte_order_mark_is_not_part_of_the_text()
    {
        using var dir = new TempDirectory();
        var path = dir.File("bom.txt");
        File.WriteAllBytes(path, [0xEF, 0xBB, 0xBF, (byte)'h', (byte)'i']);
        Assert.Equal("hi", Corpora.Load(path).Text);
    }

    [Fact]
    public void A_missing_file_is_named_with_the_fix()
    {
        var e = Assert.Throws<CorpusException>(() => Corpora.Load("no/such/file.txt"));
        Assert.Contains("'no/such/file.txt' does not exist", e.Message);
        Assert.Contains(Corpora.Default, e.Message);
    }

    [Fact]
    public void An_empty_file_is_refused()
    {
        using var dir = new TempDirectory();
        var path = dir.File("empty.txt");
        File.WriteAllText(path, "");
        var e = Assert.Throws<CorpusException>(() => Corpora.Load(path));
        Assert.Contains("is empty", e.Message);
    }

    [Fact]
    public void A_file_that_is_not_utf8_is_refused_with_the_offset()
    {
        using var dir = new TempDirectory();
        var path = dir.File("latin1.txt");
        File.WriteAllBytes(path, [(byte)'c', (byte)'a', (byte)'f', 0xE9]);
        var e = Assert.Throws<CorpusException>(() => Corpora.Load(path));
        Assert.Contains("not valid UTF-8", e.Message);
        Assert.Contains("offset 3", e.Message);
    }

    [Fact]
    public void An_unknown_name_lists_the_known_ones()
    {
        var e = Assert.Throws<CorpusException>(() => Corpora.Load("shakespear"));
        Assert.Contains("'shakespear' is neither a known corpus nor an existing file", e.Message);
        foreach (var name in CorpusCatalog.Names) Assert.Contains(name, e.Message);
    }

    [Fact]
    public void Missing_sdk_docs_say_where_they_were_looked_for_and_how_to_train_anyway()
    {
        using var dir = new TempDirectory();
        var e = Assert.Throws<CorpusException>(() => SdkReferencePack.Find([dir.Path]));
        Assert.Contains(Path.Combine(dir.Path, "packs", "Microsoft.NETCore.App.Ref"), e.Message);
        Assert.Contains("--corpus FILE", e.Message);
        Assert.Contains("DOTNET_ROOT", e.Message);
    }

    [Fact]
    public void The_newest_pack_version_wins_and_a_release_beats_its_preview()
    {
        using var dir = new TempDirectory();
        foreach (var version in new[] { "9.0.5", "10.0.0-rc.2.25502.107", "10.0.0", "10.0.0-preview.7" })
        {
            var refDir = Path.Combine(dir.Path, "packs", "Microsoft.NETCore.App.Ref", version, "ref", "net10.0");
            Directory.CreateDirectory(refDir);
            File.WriteAllText(Path.Combine(refDir, "System.Runtime.xml"), "<doc />");
        }
        Assert.Equal("10.0.0", SdkReferencePack.Find([dir.Path]).Version);
    }
}
