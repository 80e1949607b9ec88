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

    private static string Accuracy(string output) =>
        Regex.Match(output, @"accuracy ([\d.]+ ?%) \(([\d,]+) examples\)") is { Success: true } m
            ? $"{m.Groups[1].Value} of {m.Groups[2].Value}"
            : throw new Xunit.Sdk.XunitException($"no accuracy line in:\n{output}");
}
