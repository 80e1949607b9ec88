using System.Diagnostics;
using System.Text.Json;

namespace Course.Cli.Tests;

public class InterruptTests
{
    [Fact]
    public void Ctrl_C_saves_a_checkpoint_and_exits_cleanly_then_resume_continues()
    {
        var run = TestFolders.New();
        var corpus = PretrainErrorTests.SmallCorpus();
        using (var training = new CourseProcess("pretrain", "--preset", "tiny", "--corpus", corpus, "--steps", "1000000", "--eval-interval", "100000", "--eval-batches", "1", "--out", run))
        {
            training.WaitFor("step      0: train loss", TimeSpan.FromMinutes(1)); // the first evaluation is done: training is under way
            Thread.Sleep(500);
            // A real SIGINT, as Ctrl+C in a terminal sends.
            using (var kill = Process.Start("kill", ["-INT", training.Id.ToString()])) kill.WaitForExit();
            var exitCode = training.WaitForExit(TimeSpan.FromMinutes(1));
            Assert.True(exitCode == 130, $"exit code {exitCode}; output:\n{training.Output}");
            Assert.Contains("Interrupted at step", training.Output);
            Assert.DoesNotContain("   at ", training.Output);
        }
        var manifest = Path.Combine(run, "checkpoints", "latest", "trainer.json");
        Assert.True(File.Exists(manifest));
        var savedStep = JsonDocument.Parse(File.ReadAllText(manifest)).RootElement.GetProperty("Step").GetInt32();
        Assert.True(savedStep > 0);

        var (resumed, output) = CourseProcess.Run("pretrain", "--preset", "tiny", "--corpus", corpus, "--steps", (savedStep + 3).ToString(),
            "--eval-interval", "100000", "--eval-batches", "1", "--out", run, "--resume");
        Assert.True(resumed == 0, output);
        Assert.Contains($"Resumed from", output);
        Assert.Contains($"step {savedStep + 3,6}/{savedStep + 3}", output);
    }

    [Fact]
    public void Ctrl_C_during_fine_tuning_keeps_the_classifier_trained_so_far()
    {
        var pretrained = PretrainErrorTests.TempDirectory();
        var classifier = PretrainErrorTests.TempDirectory();
        CourseProcess.Succeeds("pretrain", "--preset", "tiny", "--steps", "2", "--eval-interval", "2", "--eval-batches", "1", "--out", pretrained);
        using (var tuning = new CourseProcess("finetune", "--checkpoint", Path.Combine(pretrained, "checkpoints", "latest"), "--steps", "1000000",
                   "--batch-size", "8", "--out", classifier))
        {
            tuning.WaitFor("step     0: train loss", TimeSpan.FromMinutes(1));
            Thread.Sleep(500);
            using (var kill = Process.Start("kill", ["-INT", tuning.Id.ToString()])) kill.WaitForExit();
            var exitCode = tuning.WaitForExit(TimeSpan.FromMinutes(1));
            Assert.True(exitCode == 130, $"exit code {exitCode}; output:\n{tuning.Output}");
            Assert.Contains("Interrupted at step", tuning.Output);
        }
        using (var record = JsonDocument.Parse(File.ReadAllText(Path.Combine(classifier, "run.json"))))
            Assert.Equal("interrupted", record.RootElement.GetProperty("status").GetString());

        var evaluated = CourseProcess.Succeeds("evaluate-classifier", "--checkpoint", classifier, "--split", "validation");
        Assert.Contains("examples)", evaluated);
    }
}
