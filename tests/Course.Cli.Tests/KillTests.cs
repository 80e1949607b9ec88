using System.Diagnostics;
using System.Text.Json;
using Xunit.Abstractions;
using static Course.Cli.Tests.PretrainErrorTests;

namespace Course.Cli.Tests;

/// <summary>A real `course pretrain` killed with SIGKILL at random moments, again and again: one kill in five during
/// start-up (loading, the resume itself), the others at a random moment of the first 1.5 s of training, which with a
/// save every 3 steps of a few milliseconds lands in steps, evaluations and saves alike. Every kill must leave a
/// folder that the next `--resume` continues, and the last one must train to its end. The moments are measured from
/// the line that starts training, so a loaded machine's slow start-up does not move them all into start-up.</summary>
public class KillTests(ITestOutputHelper log)
{
    private const int Kills = 50;

    [Fact]
    public void Fifty_random_SIGKILLs_each_resume_and_the_run_then_finishes()
    {
        var (corpus, run) = (SmallCorpus(), TempDirectory());
        string[] Command(string steps) => ["pretrain", "--preset", "tiny", "--corpus", corpus, "--steps", steps, "--eval-interval", "7", "--eval-batches", "1",
            "--save-interval", "3", "--out", run, "--resume"];
        var random = new Random(15);
        var clock = Stopwatch.StartNew();
        int resumed = 0, started = 0, killedInStartUp = 0;
        var failures = new List<string>();
        for (var kill = 0; kill < Kills; kill++)
        {
            using var training = new CourseProcess(Command("1000000"));
            if (kill % 5 == 4) Thread.Sleep(random.Next(50, 1500));
            else
            {
                try { training.WaitFor("checkpoints/latest saved every", TimeSpan.FromMinutes(2)); }
                catch (TimeoutException e) { failures.Add($"start {kill}: {e.Message}"); continue; }
                Thread.Sleep(random.Next(0, 1500));
            }
            if (training.HasExited)
            {
                failures.Add($"start {kill} exited by itself with {training.WaitForExit(TimeSpan.FromSeconds(10))}:\n{training.Output}");
                continue;
            }
            training.KillHard();
            training.WaitForExit(TimeSpan.FromMinutes(1));
            var output = training.Output;
            if (output.Contains("error:") || output.Contains("   at ")) failures.Add($"start {kill}:\n{output}");
            else if (output.Contains("Resumed from")) resumed++;
            else if (output.Contains("has no checkpoint yet")) started++;
            else killedInStartUp++;
        }
        // The run continues from wherever the last kill left it, and finishes.
        var step = new[] { "latest", "latest.old", "best" }.Select(n => Path.Combine(run, "checkpoints", n, "trainer.json")).Where(File.Exists)
            .Max(p => JsonDocument.Parse(File.ReadAllText(p)).RootElement.GetProperty("Step").GetInt32());
        var (exitCode, last) = CourseProcess.Run(Command((step + 3).ToString()));
        if (exitCode != 0) failures.Add($"the final resume exited with {exitCode}:\n{last}");
        log.WriteLine($"{Kills} SIGKILLs in {clock.Elapsed.TotalSeconds:F0} s: {resumed} processes had resumed before their kill, {started} started the run afresh " +
                      $"(killed before the first save), {killedInStartUp} were killed during start-up; {failures.Count} unresumable; final step {step + 3}.");
        Assert.Empty(failures);
        Assert.Contains($"step {step + 3,6}/{step + 3}", last);
        Assert.True(resumed + started >= Kills * 3 / 4, $"only {resumed + started} of {Kills} kills came during training");
    }
}
