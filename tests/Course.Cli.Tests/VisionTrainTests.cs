using System.Diagnostics;
using System.Text.Json;
using static Course.Cli.Tests.PretrainErrorTests;

namespace Course.Cli.Tests;

/// <summary>`course vision train` on the shipped digits: the run folder, the report, Ctrl+C and --resume as pretrain
/// has them, and bad input as one line.</summary>
public class VisionTrainTests
{
    private static readonly string[] Small = ["vision", "train", "--dataset", "digits", "--preset", "small", "--batch-size", "16", "--eval-batches", "1"];

    [Fact]
    public void A_run_writes_its_folder_reports_the_test_accuracy_and_resumes()
    {
        var run = TempDirectory();
        var output = CourseProcess.Succeeds([.. Small, "--steps", "4", "--eval-interval", "2", "--out", run]);

        Assert.Contains("same padding (map sizes 8 → 8 → 4 → 4 → 2 → 2); 5,978 parameters", output);
        Assert.Contains("1,257 training, 180 validation, 360 test images of 1×8×8", output);
        Assert.Contains("step      2: train loss", output);
        Assert.Contains("accuracy", output);
        Assert.Contains("Test accuracy", output);
        foreach (var file in new[] { "run.json", "metrics.jsonl", "loss.html", "loss.svg", "confusion.html", "confusion.svg", "summary.json" })
            Assert.True(File.Exists(Path.Combine(run, file)), $"{file} is missing");
        Assert.True(File.Exists(Path.Combine(run, "checkpoints", "latest", "trainer.json")));
        using (var record = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "run.json"))))
        {
            Assert.Equal("vision", record.RootElement.GetProperty("kind").GetString());
            Assert.Equal("completed", record.RootElement.GetProperty("status").GetString());
            Assert.InRange(record.RootElement.GetProperty("final_metrics").GetProperty("test_accuracy").GetDouble(), 0, 1);
        }

        var resumed = CourseProcess.Succeeds([.. Small, "--steps", "6", "--eval-interval", "2", "--out", run, "--resume"]);
        Assert.Contains("Resumed from", resumed);
        Assert.Contains("at step 4.", resumed);
        Assert.Contains("step      6: train loss", resumed);
    }

    [Fact]
    public void Ctrl_C_saves_a_checkpoint_and_exits_cleanly()
    {
        var run = TempDirectory();
        using (var training = new CourseProcess([.. Small, "--steps", "1000000", "--eval-interval", "100000", "--out", run]))
        {
            training.WaitFor("step      0: train loss", TimeSpan.FromMinutes(1));
            Thread.Sleep(500);
            using (var kill = Process.Start("kill", ["-INT", training.Id.ToString()])) kill.WaitForExit();
            var exitCode = training.WaitForExit(TimeSpan.FromMinutes(1));
            Assert.True(exitCode == 130, $"exit code {exitCode}; output:\n{training.Output}");
            Assert.Contains("Interrupted at step", training.Output);
            Assert.Contains("--resume", training.Output);
            Assert.DoesNotContain("   at ", training.Output);
        }
        var manifest = Path.Combine(run, "checkpoints", "latest", "trainer.json");
        Assert.True(JsonDocument.Parse(File.ReadAllText(manifest)).RootElement.GetProperty("Step").GetInt32() > 0);
        using var record = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "run.json")));
        Assert.Equal("interrupted", record.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public void Valid_padding_on_8x8_digits_is_refused_with_the_fix() =>
        AssertUserError([.. Small, "--padding", "valid", "--out", TempDirectory()], "use padding 1 (same) for images this small");

    [Fact]
    public void A_used_run_folder_is_refused_without_resume()
    {
        var run = TempDirectory();
        CourseProcess.Succeeds([.. Small, "--steps", "1", "--eval-interval", "1", "--out", run]);
        AssertUserError([.. Small, "--steps", "1", "--out", run], "Add --resume to continue it");
    }
}
