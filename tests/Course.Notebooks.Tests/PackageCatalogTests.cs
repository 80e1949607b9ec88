namespace Course.Notebooks.Tests;

/// <summary>The pinned package set as this test host sees it (it references Course.Notebooks, so it has the same packages).</summary>
public sealed class PackageCatalogTests
{
    [Fact]
    public void Knows_the_course_packages_and_what_they_bring()
    {
        var catalog = PackageCatalog.Current;
        Assert.Equal("0.107.0", catalog.PinnedVersion("torchsharp-cpu", null));
        Assert.Equal("TorchSharp-cpu", catalog.CanonicalName("torchsharp-cpu"));
        Assert.Contains("TorchSharp", catalog.AssembliesOf("TorchSharp-cpu")); // through its dependency on TorchSharp
        Assert.Contains("Microsoft.ML.Tokenizers", catalog.AssembliesOf("Microsoft.ML.Tokenizers.Data.R50kBase")); // and its dependency
    }

    [Fact]
    public void Refuses_an_unknown_package_naming_it_and_the_allowed_ones()
    {
        var e = Assert.Throws<NotebookException>(() => PackageCatalog.Current.PinnedVersion("Newtonsoft.Jsonx", "13.0.3"));
        Assert.Contains("package 'Newtonsoft.Jsonx' is not in the course's pinned dependency set", e.Message);
        Assert.Contains("TorchSharp-cpu 0.107.0", e.Message);
    }

    [Fact]
    public void Refuses_another_version_naming_the_pinned_one()
    {
        var e = Assert.Throws<NotebookException>(() => PackageCatalog.Current.PinnedVersion("Microsoft.ML.Tokenizers", "1.0.0"));
        Assert.Contains("#r \"nuget: Microsoft.ML.Tokenizers, 2.0.1\"", e.Message);
    }
}
