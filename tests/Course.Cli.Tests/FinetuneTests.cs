using System.Text.Json;
using System.Text.RegularExpressions;
using static Course.Cli.Tests.CourseProcess;
using static Course.Cli.Tests.PretrainErrorTests;

namespace Course.Cli.Tests;

/// <summary>The README's fine-tuning commands at toy sizes: pretrain, `finetune`, then `evaluate-classifier`.</summary>
public class FinetuneTests
{
    [Fact]
    public void A_pretrained_checkpoint_is_fine_tuned_and_its_classifier_scores_the_same_when_evaluated_again()
    {
        var pretrained = TempDirectory();
        var classifier = TempDirectory();
        Succeeds("pretrain", "--preset", "tiny", "--steps", "2", "--eval-interval", "2", "--eval-batches", "1", "--out", pretrained);

        var tuned = Succeeds("finetune", "--checkpoint", Path.Combine(pretrained, "checkpoints", "latest"), "--task", "dotnet-member-kind",
            "--steps", "3", "--batch-size", "8", "--out", classifier);
        using (var record = JsonDocument.Parse(File.ReadAllText(Path.Combine(classifier, "run.json"))))
        {
            Assert.Equal("completed", record.RootElement.GetProperty("status").GetString());
            Assert.Equal(3, record.RootElement.GetProperty("final_metrics").GetProperty("steps").GetDouble());
        }
        ChartFilesTests.AssertChart(Path.Combine(classifier, "confusion.html"), "dotnet-member-kind: test confusion matrix");

        var evaluated = Succeeds("evaluate-classifier", "--checkpoint", classifier, "--split", "test");
        // The saved classifier, reloaded, predicts what the fine-tuning run predicted on the same split.
        Assert.Equal(Accuracy(tuned), Accuracy(evaluated));
    }

    [Fact]
    public void LoRA_fine_tuning_saves_PEFT_adapters_that_evaluate_again_on_their_base_and_are_refused_on_a_changed_one()
    {
        var pretrained = TempDirectory();
        var classifier = TempDirectory();
        var checkpoint = Path.Combine(pretrained, "checkpoints", "latest");
        Succeeds("pretrain", "--preset", "tiny", "--steps", "2", "--eval-interval", "2", "--eval-batches", "1", "--out", pretrained);

        var tuned = Succeeds("finetune", "--checkpoint", checkpoint, "--steps", "3", "--batch-size", "8", "--out", classifier,
            "--lora-rank", "2", "--lora-targets", "attn,mlp");
        // tiny is 2 layers × 32 wide: per layer r·(in + out) = 2·((32+96) + (32+32) + (32+128) + (128+32)) = 1,024; the head 32·5 + 5.
        Assert.Contains($"trainable parameters {2 * 1024 + 165:N0} of", tuned);
        Assert.True(File.Exists(Path.Combine(classifier, "adapter_model.safetensors")));
        using (var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(classifier, "adapter_config.json"))))
        {
            Assert.Equal("LORA", config.RootElement.GetProperty("peft_type").GetString());
            Assert.Equal(2, config.RootElement.GetProperty("r").GetInt32());
            Assert.Equal(4, config.RootElement.GetProperty("lora_alpha").GetDouble());   // 2 × rank by default
        }
        Assert.Equal(Accuracy(tuned), Accuracy(Succeeds("evaluate-classifier", "--checkpoint", classifier)));

        // Pretraining goes on and rewrites checkpoints/latest: the adapters no longer fit it.
        Succeeds("pretrain", "--out", pretrained, "--resume", "--steps", "4");
        AssertUserError(["evaluate-classifier", "--checkpoint", classifier], "were trained on base weights with SHA-256");
    }

    [Theory]
    [InlineData("--lora-rank 0", "The LoRA rank must be at least 1")]
    [InlineData("--lora-rank 4 --lora-targets attn,qkv", "Unknown LoRA target 'qkv'")]
    [InlineData("--lora-rank 4 --freeze-body", "give one of --lora-rank and --freeze-body")]
    [InlineData("--lora-rank 4 --random-body", "give one of --lora-rank and --random-body")]
    [InlineData("--lora-alpha 16", "--lora-alpha configures LoRA adapters: give --lora-rank too")]
    [InlineData("--lora-rank 4 --lora-dropout 1", "The LoRA dropout must be in [0, 1)")]
    public void Bad_LoRA_options_are_refused_before_anything_runs(string options, string expected) =>
        AssertUserError(["finetune", "--checkpoint", TempDirectory(), "--out", Path.Combine(TempDirectory(), "run"), .. options.Split(' ')], expected);

    private static string Accuracy(string output) =>
        Regex.Match(output, @"accuracy ([\d.]+ ?%) \(([\d,]+) examples\)") is { Success: true } m
            ? $"{m.Groups[1].Value} of {m.Groups[2].Value}"
            : throw new Xunit.Sdk.XunitException($"no accuracy line in:\n{output}");
}
