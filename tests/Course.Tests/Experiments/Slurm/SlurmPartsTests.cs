using Course.Experiments;
using Course.Experiments.Slurm;
using Course.Tests.Data;
using Course.Tests.Training;
using static TorchSharp.torch;

namespace Course.Tests.Experiments.Slurm;

/// <summary>The Slurm executor's parts that need no cluster: the batch script, task-id lists, scontrol's lines, options.</summary>
public class SlurmPartsTests
{
    [Fact]
    public void The_batch_script_asks_for_every_resource_and_runs_the_trial_of_its_task()
    {
        var options = new SlurmOptions(Partition: "gpu", Time: "1:30:00", CpusPerTrial: 8, Memory: "32G", GpusPerTrial: 2, MaxRunning: 3,
            ExtraOptions: ["account=lab", "--qos=short", "#SBATCH --constraint=h100"]).Validate();
        var script = BatchScript.Write("/shared/sweeps/s1", [0, 1, 2, 5], options, ["/usr/bin/dotnet", "/opt/course/Course.Cli.dll"], "/shared/work", "/shared/cache", "cuda");
        var lines = script.Split('\n');
        Assert.Equal("#!/bin/bash", lines[0]);
        string[] expected =
        [
            "#SBATCH --array=0-2,5%3", "#SBATCH --output=/shared/sweeps/s1/slurm/slurm-%A_%a.out", "#SBATCH --chdir=/shared/work",
            "#SBATCH --cpus-per-task=8", "#SBATCH --partition=gpu", "#SBATCH --time=1:30:00", "#SBATCH --mem=32G", "#SBATCH --gres=gpu:2",
            "#SBATCH --account=lab", "#SBATCH --qos=short", "#SBATCH --constraint=h100", "export COURSE_CACHE='/shared/cache'",
            "exec '/usr/bin/dotnet' '/opt/course/Course.Cli.dll' sweep trial '/shared/sweeps/s1' --index \"$SLURM_ARRAY_TASK_ID\" --device 'cuda'",
        ];
        foreach (var line in expected) Assert.Contains(line, lines);
        // sbatch reads #SBATCH lines only before the first command.
        var firstCommand = Array.FindIndex(lines, l => l.Length > 0 && !l.StartsWith('#'));
        Assert.True(Array.FindLastIndex(lines, l => l.StartsWith("#SBATCH")) < firstCommand);

        var plain = BatchScript.Write("/s", [3], new SlurmOptions(), ["/app/course"], "/w", "/c", "auto");
        Assert.Contains("#SBATCH --array=3\n", plain);
        Assert.DoesNotContain("--partition", plain);
        Assert.DoesNotContain("--gres", plain);
        Assert.Equal("'it'\\''s'", BatchScript.Quote("it's"));
    }

    [Theory]
    [InlineData(new[] { 0, 1, 2, 3 }, "0-3")]
    [InlineData(new[] { 7 }, "7")]
    [InlineData(new[] { 5, 0, 2, 1, 9, 8 }, "0-2,5,8-9")]
    public void Task_ids_collapse_into_ranges_and_parse_back(int[] ids, string text)
    {
        Assert.Equal(text, TaskRanges.Format(ids));
        Assert.Equal(ids.Order(), TaskRanges.Parse(text));
    }

    [Fact]
    public void Task_lists_as_scontrol_prints_them()
    {
        Assert.Equal([2, 3], TaskRanges.Parse("2-3%1"));
        Assert.Equal([1, 4, 6, 8], TaskRanges.Parse("1,4-8:2"));
        Assert.Throws<FormatException>(() => TaskRanges.Parse("4-8:0"));
        Assert.Throws<FormatException>(() => TaskRanges.Parse("N/A"));
    }

    [Fact]
    public void Scontrol_lines_give_the_tasks_state_reason_and_exit_code()
    {
        // As Slurm 22.05 prints them (shortened): a finished task, then the still-pending rest of the array.
        var failed = SlurmClient.ParseTask("JobId=4 ArrayJobId=1 ArrayTaskId=2 JobName=course-sweep-s UserId=root(0) JobState=FAILED Reason=NonZeroExitCode " +
                                           "Dependency=(null) ExitCode=1:0 RunTime=00:00:02 WorkDir=/tmp StdOut=/tmp/s/slurm/slurm-1_2.out");
        Assert.Equal([2], failed.Trials);
        Assert.Equal(("FAILED", "NonZeroExitCode", "1:0"), (failed.State, failed.Reason, failed.ExitCode));
        var pending = SlurmClient.ParseTask("JobId=1 ArrayJobId=1 ArrayTaskId=3-5%1 JobState=PENDING Reason=JobArrayTaskLimit ExitCode=0:0");
        Assert.Equal([3, 4, 5], pending.Trials);
        Assert.Equal("JobArrayTaskLimit", pending.Reason);
        Assert.Contains("without ArrayTaskId", Assert.Throws<SlurmException>(() => SlurmClient.ParseTask("JobId=9 JobState=RUNNING ExitCode=0:0")).Message);
    }

    [Theory]
    [InlineData(0, 0, null, null, "--cpus-per-trial must be at least 1")]
    [InlineData(1, -1, null, null, "--gpus-per-trial cannot be negative")]
    [InlineData(1, 0, 0, null, "--max-running must be at least 1")]
    [InlineData(1, 0, null, "two words", "--partition 'two words' must be one word")]
    public void Bad_slurm_options_are_refused_by_name(int cpus, int gpus, int? maxRunning, string? partition, string expected)
    {
        var e = Assert.Throws<UserError>(() => new SlurmOptions(partition, CpusPerTrial: cpus, GpusPerTrial: gpus, MaxRunning: maxRunning).Validate());
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Exit_codes_read_as_people_say_them()
    {
        var trial = new TrialStatus(0, new Dictionary<string, double>(), TrialState.Failed);
        Assert.Equal("exit code 1", (trial with { ExitCode = "1:0" }).Ending());
        Assert.Equal("signal 9", (trial with { ExitCode = "0:9" }).Ending());
        Assert.Equal("exit code unknown", trial.Ending());
    }

    [Fact]
    public void A_local_sweep_has_a_status_without_Slurm()
    {
        using var folder = new TempDirectory();
        var spec = new SweepSpec("lr=1e-3,3e-3", RandomTrials: null, Budget: 2, Steps: 2, Preset: "tiny", Corpus: "test-corpus", Seed: 7);
        var sweep = new Sweep(folder.Path, spec);
        sweep.Run(TrainingFixtures.Corpus(), CPU, only: new HashSet<int> { 1 });

        var statuses = SweepStatus.Read(SweepStatus.Open(folder.Path), slurm: null);
        Assert.Equal([TrialState.NotStarted, TrialState.Completed], statuses.Select(s => s.State));
        Assert.Equal("lr=0.001", statuses[0].Describe());
        Assert.Contains("not a sweep folder", Assert.Throws<UserError>(() => SweepStatus.Open(sweep.TrialDirectory(1))).Message);
    }
}
