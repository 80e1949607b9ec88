using System.Text.Json;
using Course.Data;
using Course.Training;
using TorchSharp;
using static Course.Tests.Training.TrainingFixtures;

namespace Course.Tests.Training;

/// <summary>What keeps a run resumable in the library itself: periodic saves, the choice of checkpoint to resume
/// from, the cleaning of interrupted saves and of metrics.jsonl, a diverged run's stop, and folder locks.</summary>
public class CrashSafetyTests
{
    [Fact]
    public void Latest_is_saved_every_save_interval_steps()
    {
        var run = TempDirectory();
        using var trainer = NewTrainer(Options(20) with { EvalInterval = 100, SaveInterval = 4 }, run);
        var saves = new List<int>();
        trainer.StepCompleted += m =>
        {
            var manifest = Path.Combine(run, Trainer.LatestCheckpoint, Checkpoint.ManifestFile);
            if (File.Exists(manifest)) saves.Add(Checkpoint.ReadManifest(Path.Combine(run, Trainer.LatestCheckpoint)).Step);
        };
        trainer.Run();
        // Seen as each step completes (before that step's own save): the last multiple of 4 below it.
        Assert.Equal([4, 4, 4, 4, 8, 8, 8, 8, 12, 12, 12, 12, 16, 16, 16, 16], saves);
        Assert.Equal(20, Checkpoint.ReadManifest(Path.Combine(run, Trainer.LatestCheckpoint)).Step);
    }

    [Fact]
    public void Resume_takes_the_newest_valid_checkpoint_and_says_what_it_passed_over()
    {
        var run = TempDirectory();
        using (var trainer = NewTrainer(Options(6) with { EvalInterval = 3 }, run)) trainer.Run();
        var latest = Path.Combine(run, Trainer.LatestCheckpoint);
        using (var point = ResumePoint.Find(run)!) Assert.Equal((Trainer.LatestCheckpoint, 6), (point.Name, point.Manifest.Step));

        // A flipped byte in latest: best (step 3) is the newest valid one.
        var model = Path.Combine(latest, Checkpoint.ModelFile);
        var bytes = File.ReadAllBytes(model);
        bytes[^1] ^= 1;
        File.WriteAllBytes(model, bytes);
        using (var point = ResumePoint.Find(run)!)
        {
            Assert.Equal(Trainer.BestCheckpoint, point.Name);
            Assert.Contains(point.PassedOver, n => n.StartsWith("checkpoints/latest is damaged"));
        }
        Directory.Delete(Path.Combine(run, Trainer.BestCheckpoint), recursive: true);
        Assert.Contains("no valid checkpoint to resume", Assert.Throws<UserError>(() => ResumePoint.Find(run)).Message);
        Assert.Null(ResumePoint.Find(TempDirectory()));
    }

    [Fact]
    public void Leftovers_of_interrupted_saves_are_removed_and_real_checkpoints_kept()
    {
        var run = TempDirectory();
        using (var trainer = NewTrainer(Options(2), run)) trainer.Run();
        var checkpoints = Path.Combine(run, "checkpoints");
        Directory.CreateDirectory(Path.Combine(checkpoints, ".latest.tmp-dead"));
        Directory.CreateDirectory(Path.Combine(checkpoints, ".latest.old.trash-dead"));
        Assert.Equal(2, CheckpointFolder.CleanInterruptedSaves(checkpoints));
        Assert.Equal(["best", "latest"], Directory.GetDirectories(checkpoints).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void Metrics_readers_skip_a_torn_last_line_with_a_warning_and_a_resume_drops_what_it_will_redo()
    {
        var run = TempDirectory();
        using (var trainer = NewTrainer(Options(6) with { EvalInterval = 3, SaveInterval = 2 }, run)) trainer.Run();
        var path = Path.Combine(run, MetricsLog.FileName);
        File.AppendAllText(path, "{\"step\":7,\"lo");
        var warnings = new List<string>();
        Assert.Equal(9, MetricsLog.Read(run, warnings.Add).Count); // 6 steps and evaluations at 0, 3 and 6
        Assert.Contains("cut short", Assert.Single(warnings));

        File.WriteAllText(path, File.ReadAllText(path).Replace("\"kind\":\"step\"", "\"kind\":\"ste")); // damage before the last line
        Assert.Throws<UserError>(() => MetricsLog.Read(run, _ => { }));
    }

    [Fact]
    public void A_resumed_trainer_rewrites_metrics_up_to_its_checkpoint()
    {
        var run = TempDirectory();
        using (var trainer = NewTrainer(Options(8) with { EvalInterval = 3 }, run)) trainer.Run();
        using (var resumed = NewTrainer(Options(8) with { EvalInterval = 3 }, run))
        {
            var best = Path.Combine(run, Trainer.BestCheckpoint); // step 3 or 6, as if the run had been killed after it
            var step = Checkpoint.ReadManifest(best).Step;
            resumed.Resume(best);
            var kept = MetricsLog.Read(run);
            Assert.Equal(step, kept.Where(e => e.GetProperty("kind").GetString() == "step").Max(e => e.GetProperty("step").GetInt32()));
            Assert.All(kept.Where(e => e.GetProperty("kind").GetString() == "eval"), e => Assert.True(e.GetProperty("step").GetInt32() < step));
        }
    }

    [Fact]
    public void A_diverging_run_stops_before_saving_and_keeps_the_last_good_checkpoint()
    {
        var run = TempDirectory();
        using var trainer = NewTrainer(Options(50) with { LearningRate = 1e4, MinLearningRate = 1e3, EvalInterval = 100, SaveInterval = 1 }, run);
        trainer.SaveLatest();
        var error = Assert.Throws<DivergedException>(() => trainer.Run());
        Assert.Contains("Training diverged at step", error.Message);
        using var loaded = Checkpoint.Load(Path.Combine(run, Trainer.LatestCheckpoint));
        Assert.All(loaded.Weights.Tensors.Values, w => Assert.True(w.isfinite().all().item<bool>()));
    }

    [Fact]
    public void Non_finite_options_are_refused_by_name()
    {
        Assert.Contains("LearningRate must be a finite number", Assert.Throws<UserError>(() => Options(2).WithLearningRate(double.PositiveInfinity).Validate()).Message);
        Assert.Contains("SaveInterval must be positive", Assert.Throws<UserError>(() => (Options(2) with { SaveInterval = 0 }).Validate()).Message);
        Assert.Contains("needs at least", Assert.Throws<UserError>(() => NewTrainer(Options(2) with { BatchSize = 2_000_000_000 })).Message);
    }

    [Fact]
    public void A_trainer_leaves_the_tf32_switches_as_it_found_them()
    {
        var before = (torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32);
        using (NewTrainer(Options(1) with { Precision = Precision.Tf32 }))
            Assert.True(torch.backends.cuda.matmul.allow_tf32);
        Assert.Equal(before, (torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32));
    }

    [Fact]
    public void A_folder_lock_excludes_a_second_holder_and_a_refused_new_folder_leaves_no_trace()
    {
        var folder = Path.Combine(TempDirectory(), "run");
        using (FolderLock.Acquire(folder, "run folder"))
        {
            Assert.Contains("already in use by this process", Assert.Throws<UserError>(() => FolderLock.Acquire(folder, "run folder")).Message);
            Assert.StartsWith($"{Environment.ProcessId} ", File.ReadAllText(Path.Combine(folder, FolderLock.FileName)));
        }
        Assert.False(Directory.Exists(folder)); // it held nothing but the lock
        using (FolderLock.Acquire(folder, "run folder")) File.WriteAllText(Path.Combine(folder, "kept.txt"), "");
        Assert.True(File.Exists(Path.Combine(folder, "kept.txt")));
    }
}
