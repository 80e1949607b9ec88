using System.Diagnostics;
using System.Text.Json;
using Course.Experiments;
using Course.Experiments.Slurm;

namespace Course.Cli.Tests.Slurm;

/// <summary>`course sweep --executor slurm` against a real Slurm: sbatch, scontrol and scancel on a one-node cluster.</summary>
[Collection(SlurmCollection.Name)]
public class SlurmSweepTests(SlurmCluster cluster)
{
    private const string Grid = "lr=1e-3,3e-3;n_embd=16,32";
    // Generous: on a loaded 2-core machine a trial's process can take many times its usual few seconds.
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(5);
    private readonly string _corpus = PretrainErrorTests.SmallCorpus();

    private string[] Sweep(string grid, string folder, params string[] more) =>
        ["sweep", "--grid", grid, "--steps", "4", "--corpus", _corpus, "--out", folder, "--executor", "slurm", .. more];

    [Fact]
    public void A_four_trial_sweep_through_sbatch_matches_the_local_executor()
    {
        var (local, slurm) = (PretrainErrorTests.TempDirectory(), PretrainErrorTests.TempDirectory());
        // One libtorch thread, as each Slurm task has (its script sets OMP_NUM_THREADS to its one core): the same
        // reductions in the same order, so the same numbers to the last bit.
        var oneThread = new Dictionary<string, string?> { ["OMP_NUM_THREADS"] = "1" };
        var (exitCode, output) = Run(oneThread, ["sweep", "--grid", Grid, "--steps", "4", "--corpus", _corpus, "--out", local]);
        Assert.True(exitCode == 0, output);
        output = Succeeds(Sweep(Grid, slurm));
        Assert.Contains("Submitted job array", output);
        Assert.Contains("All 4 trials completed", output);

        // One job array of four tasks, its script and one Slurm output file per trial in the sweep folder.
        var submission = Assert.Single(SlurmSubmissions.Load(slurm));
        Assert.Equal([0, 1, 2, 3], submission.Trials);
        var script = File.ReadAllText(Path.Combine(slurm, BatchScript.FileName));
        Assert.Contains("#SBATCH --array=0-3", script);
        Assert.Contains("sweep trial", script);
        for (int i = 0; i < 4; i++) Assert.True(File.Exists(BatchScript.LogPath(slurm, submission.JobId, i)));

        // The same numbers as the local executor, trial by trial.
        for (int i = 0; i < 4; i++)
        {
            var (here, there) = (Metrics(local, i), Metrics(slurm, i));
            foreach (var metric in new[] { "best_val_loss", "final_val_loss", "final_train_loss" })
                Assert.True(here[metric] == there[metric], $"trial {i} {metric}: local {here[metric]}, slurm {there[metric]}");
        }
        Assert.Equal(BestTrial(local), BestTrial(slurm));
        Assert.Contains("trial-003", Succeeds("runs", "compare", slurm, "--chart", Path.Combine(slurm, "compare.html")));
    }

    [Fact]
    public void Killing_the_controller_mid_sweep_then_rerunning_resubmits_nothing_finished_or_queued()
    {
        var folder = PretrainErrorTests.TempDirectory();
        // One trial at a time, so that when the first has completed the others are still queued or running.
        using (var controller = new CourseProcess(cluster.Environment, Sweep(Grid, folder, "--max-running", "1")))
            controller.WaitFor("completed: best_val_loss", Patience);
        // Disposed: killed with SIGKILL, no chance to clean up. Slurm goes on with the array.
        var job = Assert.Single(SlurmSubmissions.Load(folder)).JobId;
        Assert.Contains(job, cluster.Command("squeue", "--noheader", "--array", "--format=%i"));

        var output = Succeeds(Sweep(Grid, folder, "--max-running", "1"));
        Assert.Contains("Nothing to submit", output);
        Assert.Contains("All 4 trials completed", output);
        Assert.Single(SlurmSubmissions.Load(folder));
        // Each trial ran once, in the first job: one Slurm output file each, all of that job.
        Assert.Equal(Enumerable.Range(0, 4).Select(i => $"slurm-{job}_{i}.out"),
            Directory.GetFiles(Path.Combine(folder, BatchScript.LogFolder), "*.out").Select(Path.GetFileName).Order());
    }

    private const string Diverging = "lr=1e-3,1e30";

    [Fact]
    public void A_failing_trial_is_reported_with_its_log_and_exit_code_while_the_others_complete()
    {
        var folder = PretrainErrorTests.TempDirectory();
        // A learning rate of 1e30 is a valid option but sends the loss to infinity at once: trial 1 fails while it
        // runs. (An impossible model, such as 3 heads for 32 dimensions, is refused before anything is submitted.)
        var (exitCode, output) = Run(cluster.Environment, Sweep(Diverging, folder));
        Assert.True(exitCode == 1, $"exit code {exitCode}:\n{output}");
        var job = Assert.Single(SlurmSubmissions.Load(folder)).JobId;
        Assert.Contains("trial 0 (lr=0.001) completed", output);
        Assert.Contains($"failed: FAILED, NonZeroExitCode, exit code 1; log {BatchScript.LogPath(folder, job, 1)}: error: Training diverged at step", output);
        Assert.Contains("1 of 2 trials failed", output);
        Assert.DoesNotContain("   at ", output);
        Assert.Contains("failed", Succeeds("sweep", "status", folder));

        // Run again: only the failed trial goes back to Slurm.
        (_, output) = Run(cluster.Environment, Sweep(Diverging, folder));
        Assert.Contains("Submitted job array", output);
        Assert.Contains("(1 trial(s): 1)", output);
        Assert.Equal([[0, 1], [1]], SlurmSubmissions.Load(folder).Select(s => s.Trials));
    }

    [Fact]
    public void Detach_submits_and_returns_then_status_follows_the_trials()
    {
        var folder = PretrainErrorTests.TempDirectory();
        var output = Succeeds(Sweep("lr=1e-3,3e-3", folder, "--detach"));
        Assert.Contains("Detached. Follow it with: course sweep status", output);
        var job = Assert.Single(SlurmSubmissions.Load(folder)).JobId;

        var clock = Stopwatch.StartNew();
        string status;
        do
        {
            status = Succeeds("sweep", "status", folder);
            Assert.Contains(job, status);
            Assert.True(clock.Elapsed < Patience, $"the trials did not complete within {Patience}:\n{status}");
            Thread.Sleep(500);
        } while (!status.Contains("completed 2 of 2 trial(s)"));
        Assert.Contains("lr=0.003", status);
    }

    [Fact]
    public void Ctrl_C_leaves_the_trials_to_Slurm_and_cancel_on_exit_cancels_them()
    {
        var folder = PretrainErrorTests.TempDirectory();
        string[] longSweep = ["sweep", "--grid", "lr=1e-3,3e-3", "--steps", "1000000", "--corpus", _corpus, "--out", folder, "--executor", "slurm"];
        Interrupt(longSweep, "The trials go on in Slurm");
        var job = Assert.Single(SlurmSubmissions.Load(folder)).JobId;
        Assert.Contains(job, cluster.Command("squeue", "--noheader", "--array", "--format=%i"));

        Interrupt([.. longSweep, "--cancel-on-exit"], $"Cancelled job(s) {job}");
        var clock = Stopwatch.StartNew();
        while (cluster.Command("squeue", "--noheader", "--array", "--format=%i").Contains(job))
        {
            Assert.True(clock.Elapsed < Patience, $"job {job} still queued or running after scancel");
            Thread.Sleep(200);
        }
        Assert.Contains("CANCELLED", Succeeds("sweep", "status", folder));
        Assert.Single(SlurmSubmissions.Load(folder)); // the second run had nothing to submit
    }

    [Fact]
    public void A_missing_sbatch_and_an_unknown_partition_each_get_one_clear_line()
    {
        var noSlurm = PretrainErrorTests.TempDirectory(); // an empty folder as PATH: no sbatch anywhere
        var environment = new Dictionary<string, string?>(cluster.Environment) { ["PATH"] = noSlurm };
        var folder = PretrainErrorTests.TempDirectory();
        var (exitCode, output) = Run(environment, Sweep("lr=1e-3", folder));
        Assert.True(exitCode == 1, $"exit code {exitCode}:\n{output}");
        Assert.Contains("error: sbatch is not on PATH: --executor slurm hands trials to Slurm", output);
        Assert.DoesNotContain("   at ", output);

        (exitCode, output) = Run(cluster.Environment, Sweep("lr=1e-3", folder, "--partition", "no-such-partition"));
        Assert.True(exitCode == 1, $"exit code {exitCode}:\n{output}");
        Assert.Contains("error: sbatch refused the sweep's job array: invalid partition specified: no-such-partition", output);
        Assert.Contains("Partitions here: debug; choose one with --partition", output);
        Assert.DoesNotContain("   at ", output);
        Assert.Empty(SlurmSubmissions.Load(folder)); // nothing was submitted, so nothing is recorded
    }

    private static (int ExitCode, string Output) Run(IReadOnlyDictionary<string, string?> environment, string[] arguments)
    {
        using var process = new CourseProcess(environment, arguments);
        return (process.WaitForExit(Patience), process.Output);
    }

    private string Succeeds(params string[] arguments)
    {
        var (exitCode, output) = Run(cluster.Environment, arguments);
        Assert.True(exitCode == 0, $"`course {string.Join(' ', arguments)}` exited with {exitCode}:\n{output}");
        return output;
    }

    /// <summary>Starts a sweep of two trials, sends it SIGINT once it watches them, and checks it exits 130 saying <paramref name="expected"/>.</summary>
    private void Interrupt(string[] arguments, string expected)
    {
        using var controller = new CourseProcess(cluster.Environment, arguments);
        controller.WaitFor("failed 0 of 2", Patience); // the first progress line: the trials are queued or running

        using (var kill = Process.Start("kill", ["-INT", controller.Id.ToString()])) kill.WaitForExit();
        var exitCode = controller.WaitForExit(TimeSpan.FromMinutes(1));
        Assert.True(exitCode == 130, $"exit code {exitCode}:\n{controller.Output}");
        Assert.Contains(expected, controller.Output);
    }

    private static Dictionary<string, double> Metrics(string sweep, int trial) =>
        RunRecord.Load(Path.Combine(sweep, Course.Experiments.Sweep.TrialsFolder, $"trial-{trial:D3}")).FinalMetrics;

    private string BestTrial(string sweep)
    {
        var output = Succeeds("runs", "best", sweep);
        return output.Split('\n').Single(l => l.StartsWith("best by")).Split('/').Last(p => p.StartsWith("trial-"))[..9];
    }
}
