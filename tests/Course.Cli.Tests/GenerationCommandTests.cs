using System.Text.Json;
using Course.Models;
using Course.Training;
using TorchSharp;
using static Course.Cli.Tests.CourseProcess;
using static Course.Cli.Tests.PretrainErrorTests;
using static TorchSharp.torch;

namespace Course.Cli.Tests;

/// <summary>`sample --pretrained`, the Llama presets through pretrain, sample and evaluate, and `bench generation`, run
/// as a user runs them.</summary>
public class GenerationCommandTests
{
    [Fact]
    public void Sample_reads_a_hugging_face_gpt2_folder_and_the_kv_cache_changes_no_token()
    {
        var folder = RandomGpt2Folder();
        var cached = Succeeds("sample", "--pretrained", folder, "--prompt", "Hello world", "--tokens", "12", "--temperature", "0", "--device", "cpu");
        var uncached = Succeeds("sample", "--pretrained", folder, "--prompt", "Hello world", "--tokens", "12", "--temperature", "0", "--device", "cpu", "--no-kv-cache");
        Assert.StartsWith("Hello world", cached);
        Assert.Equal(cached, uncached);
    }

    [Fact]
    public void Sample_refuses_a_model_without_gpt2s_vocabulary_and_a_missing_source()
    {
        var fixture = Path.Combine(RepositoryRoot(), "data", "fixtures", "hf-tiny-gpt2");
        var (exitCode, output) = CourseProcess.Run("sample", "--pretrained", fixture, "--device", "cpu");
        Assert.True(exitCode == 1, output);
        Assert.Contains("fewer than the 50,257 of GPT-2's encoding", output);

        (exitCode, output) = CourseProcess.Run("sample", "--prompt", "x");
        Assert.True(exitCode == 1, output);
        Assert.Contains("Give --checkpoint FOLDER (a run's checkpoint) or --pretrained NAME|FOLDER", output);

        (exitCode, output) = CourseProcess.Run("sample", "--pretrained", "gpt2", "--device", "cpu", "--tokens", "1");
        Assert.True(exitCode == 1, output);
        Assert.Contains("--allow-unverified", output);
        Assert.DoesNotContain("   at ", output);
    }

    [Fact]
    public void A_llama_preset_pretrains_samples_and_evaluates_like_a_gpt_preset()
    {
        var run = TempDirectory();
        var trained = Succeeds("pretrain", "--preset", "llama-tiny", "--corpus", SmallCorpus(), "--steps", "6", "--eval-interval", "3", "--eval-batches", "1", "--out", run);
        Assert.Contains("preset llama-tiny", trained);
        using (var record = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "run.json"))))
            Assert.Equal("Llama", record.RootElement.GetProperty("config").GetProperty("architecture").GetString());
        var checkpoint = Path.Combine(run, "checkpoints", "latest");
        Assert.StartsWith("line", Succeeds("sample", "--checkpoint", checkpoint, "--prompt", "line", "--tokens", "20"));
        Assert.Contains("bits per character", Succeeds("evaluate", "--checkpoint", checkpoint, "--batches", "2"));
    }

    [Fact]
    public void Bench_generation_measures_both_ways_at_each_context()
    {
        var json = Path.Combine(TempDirectory(), "generation.json");
        var output = Succeeds("bench", "generation", "--preset", "tiny", "llama-tiny", "--context", "8", "16", "--tokens", "4", "--device", "cpu", "--out", json);
        Assert.Contains("speed-up", output);
        using var results = JsonDocument.Parse(File.ReadAllText(json));
        Assert.Equal(8, results.RootElement.GetArrayLength());
        Assert.All(results.RootElement.EnumerateArray(), r => Assert.True(r.GetProperty("tokens_per_second").GetDouble() > 0));

        var (exitCode, error) = CourseProcess.Run("bench", "generation", "--preset", "tiny", "--context", "4", "--tokens", "4");
        Assert.True(exitCode == 1, error);
        Assert.Contains("must exceed the tokens generated", error);
    }

    /// <summary>A one-layer GPT with GPT-2's 50,257-token vocabulary, written in Hugging Face's layout: no "transformer."
    /// prefix, Conv1D weights stored in × out.</summary>
    private static string RandomGpt2Folder()
    {
        var folder = TempDirectory();
        manual_seed(5);
        using var model = new Gpt(new GptConfig(VocabSize: 50257, BlockSize: 32, NLayer: 1, NHead: 2, NEmbd: 8));
        File.WriteAllText(Path.Combine(folder, "config.json"), """
            {"model_type": "gpt2", "activation_function": "gelu_new", "vocab_size": 50257, "n_positions": 32, "n_embd": 8, "n_layer": 1, "n_head": 2, "layer_norm_epsilon": 1e-05}
            """);
        using var stream = File.Create(Path.Combine(folder, "model.safetensors"));
        SafeTensors.Write(stream, model.named_parameters().Select(p =>
        {
            var name = p.name["transformer.".Length..];
            var conv1D = name.EndsWith(".weight") && (name.Contains(".attn.") || name.Contains(".mlp."));
            return (name, conv1D ? p.parameter.t() : (Tensor)p.parameter);
        }));
        return folder;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Course.sln"))) return dir.FullName;
        throw new InvalidOperationException($"No Course.sln above {AppContext.BaseDirectory}.");
    }
}
