using Course.Testing;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Course.Tests.DevContainer;

public partial class DevContainerConfigTests
{
    private const string Cpu = ".devcontainer/devcontainer.json";
    private const string Gpu = ".devcontainer/gpu/devcontainer.json";

    public static TheoryData<string> Configs => new() { Cpu, Gpu };

    [Theory, MemberData(nameof(Configs))]
    public void Parses_as_json_with_comments_and_names_the_container(string config)
    {
        var devcontainer = DevContainerConfig.Load(config);

        Assert.Equal(JsonValueKind.Object, devcontainer.Root.ValueKind);
        Assert.False(string.IsNullOrWhiteSpace(devcontainer.RequiredString("name")));
    }

    [Theory, MemberData(nameof(Configs))]
    public void Post_create_command_runs_a_script_that_is_in_the_repository(string config)
    {
        var command = DevContainerConfig.Load(config).RequiredString("postCreateCommand");
        var words = command.Split(' ', StringSplitOptions.RemoveEmptyEntries);

        // Through bash, not the script's executable bit, which a checkout on Windows or a zip download loses.
        Assert.Equal("bash", words[0]);
        var script = Assert.Single(words, w => w.EndsWith(".sh", StringComparison.Ordinal));
        Assert.True(File.Exists(RepositoryRoot.PathOf(script)), $"{config} runs {script}, which is not in the repository.");
    }

    [Theory, MemberData(nameof(Configs))]
    public void Installs_jupyterlab_in_the_image(string config)
    {
        var features = DevContainerConfig.Load(config).Root.GetProperty("features");
        var python = features.EnumerateObject().Single(f => f.Name.StartsWith("ghcr.io/devcontainers/features/python:", StringComparison.Ordinal));
        Assert.True(python.Value.GetProperty("installJupyterlab").GetBoolean(), $"{config}: the python feature does not install JupyterLab.");
    }

    [Theory, MemberData(nameof(Configs))]
    public void Image_is_pinned_to_a_release(string config)
    {
        var image = DevContainerConfig.Load(config).RequiredString("image");
        if (image.Contains("@sha256:"))
        {
            Assert.Matches(DigestPattern(), image);
            return;
        }
        var slash = image.LastIndexOf('/');
        var colon = image.IndexOf(':', slash + 1);
        Assert.True(colon > 0, $"{config}: image '{image}' has no tag, which means 'latest'; name a release tag.");
        var tag = image[(colon + 1)..];
        Assert.NotEqual("latest", tag);
        // A full x.y.z release; floating tags such as 2-10.0 or dev-10.0 move to new builds under a class mid-term.
        Assert.True(ReleaseTagPattern().IsMatch(tag), $"{config}: image tag '{tag}' does not start with a full x.y.z release.");
    }

    [Theory, MemberData(nameof(Configs))]
    public void Features_name_a_version(string config)
    {
        if (!DevContainerConfig.Load(config).Root.TryGetProperty("features", out var features)) return;
        foreach (var feature in features.EnumerateObject())
        {
            var colon = feature.Name.LastIndexOf(':');
            Assert.True(colon > feature.Name.LastIndexOf('/'), $"{config}: feature {feature.Name} has no version tag.");
            Assert.NotEqual("latest", feature.Name[(colon + 1)..]);
        }
    }

    [Theory, MemberData(nameof(Configs))]
    public void Learner_works_as_a_non_root_user_with_the_course_extensions(string config)
    {
        var devcontainer = DevContainerConfig.Load(config);

        var user = devcontainer.RequiredString("remoteUser");
        Assert.NotEqual("root", user);
        var extensions = devcontainer.Strings("customizations", "vscode", "extensions");
        Assert.Contains("ms-dotnettools.csdevkit", extensions);
        Assert.Contains("ms-dotnettools.csharp", extensions);
        Assert.Contains("ms-toolsai.jupyter", extensions);
    }

    [Theory, MemberData(nameof(Configs))]
    public void Host_has_at_least_two_cores_and_eight_gigabytes(string config)
    {
        var devcontainer = DevContainerConfig.Load(config);

        Assert.True(devcontainer.Required("hostRequirements", "cpus").GetInt32() >= 2, $"{config}: hostRequirements.cpus < 2");
        var memory = devcontainer.RequiredString("hostRequirements", "memory");
        Assert.True(Gigabytes(memory) >= 8, $"{config}: hostRequirements.memory {memory} is under 8gb");
    }

    [Fact]
    public void Cpu_container_selects_the_cpu_backend_and_asks_for_no_gpu()
    {
        var devcontainer = DevContainerConfig.Load(Cpu);

        Assert.Equal("cpu", devcontainer.RequiredString("containerEnv", "TORCH_BACKEND"));
        Assert.False(devcontainer.Required("hostRequirements").TryGetProperty("gpu", out _));
        Assert.False(devcontainer.Root.TryGetProperty("runArgs", out _));
    }

    [Fact]
    public void Gpu_container_requests_a_gpu_and_selects_the_cuda_backend()
    {
        var devcontainer = DevContainerConfig.Load(Gpu);

        Assert.Equal(JsonValueKind.True, devcontainer.Required("hostRequirements", "gpu").ValueKind);
        var runArgs = devcontainer.Strings("runArgs");
        var gpus = runArgs.IndexOf("--gpus");
        Assert.True(gpus >= 0 && gpus + 1 < runArgs.Count && runArgs[gpus + 1] == "all",
            $"{Gpu}: runArgs [{string.Join(", ", runArgs)}] lack \"--gpus\", \"all\".");
        Assert.Equal("cuda", devcontainer.RequiredString("containerEnv", "TORCH_BACKEND"));
        Assert.StartsWith("nvidia/cuda:12.8.", devcontainer.RequiredString("image"));
    }

    [Fact]
    public void Both_containers_carry_the_sdk_that_global_json_asks_for()
    {
        var options = new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };
        using var global = JsonDocument.Parse(File.ReadAllText(RepositoryRoot.PathOf("global.json")), options);
        var version = Version.Parse(global.RootElement.GetProperty("sdk").GetProperty("version").GetString()!);
        var band = $"{version.Major}.{version.Minor}";

        Assert.Contains($"-{band}-", DevContainerConfig.Load(Cpu).RequiredString("image"));
        Assert.Equal(band, DevContainerConfig.Load(Gpu).RequiredString("features", "ghcr.io/devcontainers/features/dotnet:2", "version"));
    }

    /// <summary>Dev Containers sizes: a number with a kb, mb, gb or tb suffix.</summary>
    private static double Gigabytes(string size)
    {
        var match = SizePattern().Match(size);
        Assert.True(match.Success, $"'{size}' is not a size like 8gb.");
        var value = double.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        return match.Groups[2].Value.ToLowerInvariant() switch
        {
            "kb" => value / 1024 / 1024,
            "mb" => value / 1024,
            "gb" => value,
            _ => value * 1024,
        };
    }

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)(kb|mb|gb|tb)$", RegexOptions.IgnoreCase)]
    private static partial Regex SizePattern();

    [GeneratedRegex(@"^\d+\.\d+\.\d+(-|$)")]
    private static partial Regex ReleaseTagPattern();

    [GeneratedRegex(@"@sha256:[0-9a-f]{64}$")]
    private static partial Regex DigestPattern();
}
