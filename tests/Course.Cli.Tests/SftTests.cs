using System.Text.Json;
using static Course.Cli.Tests.CourseProcess;
using static Course.Cli.Tests.PretrainErrorTests;

namespace Course.Cli.Tests;

/// <summary>`course sft` at toy sizes: a run end to end, Ctrl+C then --resume against an uninterrupted run, and bad input.</summary>
public class SftTests
{
    /// <summary>A cpu-small body trained for 2 steps: the smallest preset whose context (128) holds questions and answers.</summary>
    private static readonly Lazy<string> Pretrained = new(() =>
    {
        var run = TempDirectory();
        Succeeds("pretrain", "--preset", "cpu-small", "--steps", "2", "--batch-size", "2", "--eval-batches", "1", "--out", run);
        return Path.Combine(run, "checkpoints", "latest");
    });

    private static string[] Sft(string output, params string[] more) =>
        ["sft", "--checkpoint", Pretrained.Value, "--batch-size", "2", "--eval-batches", "1", "--eval-examples", "2", "--device", "cpu", "--out", output, .. more];

    [Fact]
    public void A_run_scores_held_out_members_before_and_after_and_records_both()
    {
        var run = TempDirectory();
        var output = Succeeds(Sft(run, "--steps", "4", "--grad-accum", "2"));
        Assert.Contains("before tuning", output);
        Assert.Contains("after tuning", output);
        Assert.Contains("   true:   ", output);
        Assert.Contains("<|user|>, <|assistant|>, <|end|> added as ids", output);
        var answers = File.ReadAllLines(Path.Combine(run, "metrics.jsonl")).Select(l => JsonDocument.Parse(l).RootElement)
            .Where(e => e.GetProperty("kind").GetString() == "answers").ToList();
        Assert.Equal([0, 4], answers.Select(a => a.GetProperty("step").GetInt32()));
        Assert.All(answers, a => Assert.Equal(2, a.GetProperty("generated").GetInt32()));
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "summary.json")));
        Assert.Equal(2, summary.RootElement.GetProperty("after").GetProperty("samples").GetArrayLength());
        using var record = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "run.json")));
        Assert.Equal("completed", record.RootElement.GetProperty("status").GetString());
        Assert.Equal(2, record.RootElement.GetProperty("options").GetProperty("gradient_accumulation_steps").GetInt32());
        Assert.True(File.Exists(Path.Combine(run, "checkpoints", "latest", "model.safetensors")));
    }

    [Fact]
    public void Ctrl_C_then_resume_ends_with_the_weights_of_an_uninterrupted_run()
    {
        const string steps = "40";
        var straight = TempDirectory();
        Succeeds(Sft(straight, "--steps", steps));

        var stopped = TempDirectory();
        using (var tuning = new CourseProcess(Sft(stopped, "--steps", steps)))
        {
            var exitCode = tuning.InterruptAfter("step      0: train loss");
            Assert.True(exitCode == 130, $"exit code {exitCode}; output:\n{tuning.Output}");
            Assert.Contains("Interrupted at step", tuning.Output);
        }
        var savedStep = JsonDocument.Parse(File.ReadAllText(Path.Combine(stopped, "checkpoints", "latest", "trainer.json"))).RootElement.GetProperty("Step").GetInt32();
        Assert.InRange(savedStep, 1, 39);
        var resumed = Succeeds("sft", "--out", stopped, "--resume", "--eval-examples", "2", "--device", "cpu");
        Assert.Contains($"Resumed from checkpoints/latest at step {savedStep}", resumed);
        Assert.Contains("after tuning", resumed);
        Assert.Equal(File.ReadAllBytes(Path.Combine(straight, "checkpoints", "latest", "model.safetensors")),
            File.ReadAllBytes(Path.Combine(stopped, "checkpoints", "latest", "model.safetensors")));
    }

    [Fact]
    public void Bad_input_gets_one_error_line_that_says_what_to_do()
    {
        var tinyBody = TempDirectory();
        Succeeds("pretrain", "--preset", "tiny", "--steps", "1", "--eval-batches", "1", "--out", tinyBody);
        var cases = new (string[] Arguments, string Expected)[]
        {
            (["sft", "--out", TempDirectory()], "--checkpoint"),
            (["sft", "--checkpoint", Path.Combine(TempDirectory(), "missing"), "--out", TempDirectory()], "checkpoint"),
            (["sft", "--checkpoint", Pretrained.Value, "--eval-examples", "0", "--out", TempDirectory()], "--eval-examples must be at least 1"),
            (Sft(TempDirectory(), "--grad-accum", "0"), "GradientAccumulationSteps must be positive"),
            (Sft(TempDirectory(), "--precision", "fp8"), "Unknown precision 'fp8'"),
            (["sft", "--checkpoint", Path.Combine(tinyBody, "checkpoints", "latest"), "--out", TempDirectory()], "context of 16 tokens"),
            (["sft", "--out", TempDirectory(), "--resume"], "has no checkpoint to resume"),
            (["sft", "--out", tinyBody, "--resume"], "not an instruction-tuning run"),
            (["sft", "--checkpoint", Pretrained.Value, "--out", tinyBody, "--resume"], "leave out --checkpoint"),
        };
        foreach (var (arguments, expected) in cases)
        {
            var (exitCode, output) = Run(arguments);
            Assert.True(exitCode == 1, $"`course {string.Join(' ', arguments)}` exited with {exitCode}:\n{output}");
            var errors = output.Split('\n').Where(l => l.StartsWith("error:")).ToList();
            Assert.True(errors.Count == 1 && errors[0].Contains(expected), $"`course {string.Join(' ', arguments)}` printed:\n{output}");
        }
    }
}
