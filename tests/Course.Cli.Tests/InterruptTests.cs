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
            // A real SIGINT, as Ctrl+C in a terminal sends, once the first evaluation is done: training is under way.
            var exitCode = training.InterruptAfter("step      0: train loss");
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
    public void Ctrl_C_during_fine_tuning_keeps_the_classifier_and_resume_ends_where_an_uninterrupted_run_does()
    {
        var pretrained = PretrainErrorTests.TempDirectory();
        var (classifier, straight) = (PretrainErrorTests.TempDirectory(), PretrainErrorTests.TempDirectory());
        CourseProcess.Succeeds("pretrain", "--preset", "tiny", "--steps", "2", "--eval-interval", "2", "--eval-batches", "1", "--out", pretrained);
        string[] finetune = ["finetune", "--checkpoint", Path.Combine(pretrained, "checkpoints", "latest"), "--steps", "1000", "--batch-size", "4"];
        using (var tuning = new CourseProcess([.. finetune, "--out", classifier]))
        {
            var exitCode = tuning.InterruptAfter("step     0: train loss");
            Assert.True(exitCode == 130, $"exit code {exitCode}; output:\n{tuning.Output}");
            Assert.Contains("Interrupted at step", tuning.Output);
            Assert.Contains("--resume", tuning.Output);
        }
        using (var record = JsonDocument.Parse(File.ReadAllText(Path.Combine(classifier, "run.json"))))
            Assert.Equal("interrupted", record.RootElement.GetProperty("status").GetString());
        var evaluated = CourseProcess.Succeeds("evaluate-classifier", "--checkpoint", classifier, "--split", "validation");
        Assert.Contains("examples)", evaluated);

        PretrainErrorTests.AssertUserError(["finetune", "--out", classifier, "--resume", "--lr", "0.1"], "leave out --lr");
        Assert.Contains("Resumed at step", CourseProcess.Succeeds("finetune", "--out", classifier, "--resume"));
        CourseProcess.Succeeds([.. finetune, "--out", straight]);
        var weights = "classifier.safetensors";
        Assert.Equal(File.ReadAllBytes(Path.Combine(straight, weights)), File.ReadAllBytes(Path.Combine(classifier, weights)));
        PretrainErrorTests.AssertUserError(["finetune", "--out", classifier, "--resume"], "holds a completed run");
    }
}
