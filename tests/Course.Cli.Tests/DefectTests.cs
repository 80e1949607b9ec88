using System.Security.Cryptography;
using System.Text.Json;
using static Course.Cli.Tests.CourseProcess;
using static Course.Cli.Tests.PretrainErrorTests;

namespace Course.Cli.Tests;

/// <summary>
/// The twelve defects of issue 15 ("Nothing lost, whatever happens"), each reproduced as the issue describes it,
/// through the real `course` process. Each test failed before the fix.
/// </summary>
public class DefectTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private static string[] Tiny(string corpus, string run, params string[] more) =>
        ["pretrain", "--preset", "tiny", "--corpus", corpus, "--eval-batches", "1", "--out", run, .. more];

    private static JsonElement RunJson(string run) => JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "run.json"))).RootElement;

    private static int SavedStep(string checkpoint) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(checkpoint, "trainer.json"))).RootElement.GetProperty("Step").GetInt32();

    [Fact]
    public void Defect01_a_hard_kill_leaves_a_folder_that_resumes_and_sigterm_or_sighup_save_like_ctrl_c()
    {
        var (corpus, run) = (SmallCorpus(), TempDirectory());
        using (var training = new CourseProcess(Tiny(corpus, run, "--steps", "1000000", "--eval-interval", "1000", "--save-interval", "5")))
        {
            training.WaitFor("step      0: train loss", Minute);
            Thread.Sleep(1000);
            training.KillHard();
            training.WaitForExit(Minute);
        }
        // What a save killed between its writes leaves behind.
        Directory.CreateDirectory(Path.Combine(run, "checkpoints", ".latest.tmp-0123456789abcdef"));
        foreach (var signal in new[] { "TERM", "HUP" })
        {
            using var resumed = new CourseProcess(Tiny(corpus, run, "--resume"));
            resumed.WaitFor("Resumed from checkpoints/", Minute);
            Thread.Sleep(500);
            resumed.Signal(signal);
            Assert.True(resumed.WaitForExit(Minute) == 130, resumed.Output);
            Assert.Contains("Interrupted at step", resumed.Output);
        }
        Assert.False(Directory.Exists(Path.Combine(run, "checkpoints", ".latest.tmp-0123456789abcdef")));
        Assert.Equal("interrupted", RunJson(run).GetProperty("status").GetString());
    }

    [Fact]
    public void Defect02_a_failed_resume_leaves_run_json_as_it_was()
    {
        var (corpus, run) = (SmallCorpus(), TempDirectory());
        Succeeds(Tiny(corpus, run, "--steps", "4", "--eval-interval", "2"));
        var before = File.ReadAllBytes(Path.Combine(run, "run.json"));
        AssertUserError(["pretrain", "--preset", "cpu-small", "--corpus", corpus, "--out", run, "--resume"], "--preset cpu-small (the run's model is tiny");
        AssertUserError(["pretrain", "--out", run, "--resume"], "already completed its 4 steps");
        Assert.Equal(before, File.ReadAllBytes(Path.Combine(run, "run.json")));
        Assert.Equal("completed", RunJson(run).GetProperty("status").GetString());
    }

    [Fact]
    public void Defect03_a_second_writer_is_refused_by_name_and_a_torn_metrics_line_is_skipped()
    {
        var (corpus, run) = (SmallCorpus(), TempDirectory());
        using (var first = new CourseProcess(Tiny(corpus, run, "--steps", "1000000", "--eval-interval", "1000")))
        {
            first.WaitFor("step      0: train loss", Minute);
            AssertUserError(Tiny(corpus, run, "--resume"), $"is in use by another course process (PID {first.Id}");
            AssertUserError(Tiny(corpus, run, "--steps", "5"), $"PID {first.Id}");
            first.KillHard();
            first.WaitForExit(Minute);
        }
        File.AppendAllText(Path.Combine(run, "metrics.jsonl"), "{\"step\":12,\"loss\":4.1,\"learn");
        var compared = Succeeds("runs", "compare", run, "--chart", Path.Combine(TempDirectory(), "c.html"));
        Assert.Contains("skipped its last line, which was cut short", compared);
        using var resumed = new CourseProcess(Tiny(corpus, run, "--resume"));
        resumed.WaitFor("Resumed from", Minute);
        Assert.DoesNotContain("   at ", resumed.Output);
    }

    [Fact]
    public void Defect04_resume_takes_the_runs_own_options_and_refuses_fewer_steps_than_done()
    {
        var (corpus, run) = (SmallCorpus(), TempDirectory());
        Succeeds(Tiny(corpus, run, "--steps", "4", "--eval-interval", "2", "--lr", "0.01", "--batch-size", "8"));
        var resumed = Succeeds("pretrain", "--out", run, "--resume", "--steps", "6"); // no --preset, --corpus, --lr or --batch-size
        Assert.Contains("Resumed from checkpoints/latest at step 4", resumed);
        var record = RunJson(run);
        Assert.Equal(0.01, record.GetProperty("options").GetProperty("learning_rate").GetDouble());
        Assert.Equal(8, record.GetProperty("options").GetProperty("batch_size").GetInt32());
        Assert.Equal(6, record.GetProperty("final_metrics").GetProperty("steps").GetDouble());
        AssertUserError(["pretrain", "--out", run, "--resume", "--steps", "3"], "--steps 3: the run has already done 6 steps");
    }

    [Fact]
    public void Defect05_resume_falls_back_to_latest_old_and_says_so()
    {
        var (corpus, run) = (SmallCorpus(), TempDirectory());
        Succeeds(Tiny(corpus, run, "--steps", "4", "--eval-interval", "2"));
        // A save killed between its two renames leaves the previous checkpoint as latest.old and no latest.
        Directory.Move(Path.Combine(run, "checkpoints", "latest"), Path.Combine(run, "checkpoints", "latest.old"));
        var resumed = Succeeds("pretrain", "--out", run, "--resume", "--steps", "6");
        Assert.Contains("Resumed from checkpoints/latest.old at step 4 (checkpoints/latest is missing)", resumed);
    }

    [Fact]
    public void Defect06_killing_the_notebook_runner_ends_its_worker()
    {
        var folder = TempDirectory();
        var notebook = Path.Combine(folder, "spin.ipynb");
        File.WriteAllText(notebook, """
            {"cells": [{"cell_type": "code", "execution_count": null, "id": "spin", "metadata": {}, "outputs": [],
              "source": "Console.WriteLine(\"spinning\");\nwhile (true) { }"}],
             "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
            """);
        using var runner = new CourseProcess("notebooks", "run", notebook, "-o", folder, "--echo", "--timeout", "600");
        runner.WaitFor("spinning", TimeSpan.FromMinutes(2));
        var workers = Children(runner.Id);
        Assert.NotEmpty(workers);
        runner.KillHard();
        runner.WaitForExit(Minute);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (workers.Any(Alive) && clock.Elapsed < TimeSpan.FromSeconds(20)) Thread.Sleep(200);
        Assert.False(workers.Any(Alive), "the notebook worker outlived its runner by 20 s");
    }

    private static List<int> Children(int pid) =>
        File.ReadAllText($"/proc/{pid}/task/{pid}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToList();

    private static bool Alive(int pid) => File.Exists($"/proc/{pid}/stat") && !File.ReadAllText($"/proc/{pid}/stat").Split(')')[1].TrimStart().StartsWith('Z');

    [Fact]
    public void Defect07_bad_data_is_refused_with_one_line()
    {
        string Shards()
        {
            var shards = Path.Combine(TempDirectory(), "shards");
            Succeeds("data", "prepare", "--corpus", SmallCorpus(), "--tokenizer", "char", "--out", shards);
            return shards;
        }
        var outOfRange = Shards();
        var train = Path.Combine(outOfRange, "train.bin");
        var bytes = File.ReadAllBytes(train);
        Array.Fill(bytes, (byte)0xFF, 32, bytes.Length - 32); // every id 65535, far outside the character vocabulary
        File.WriteAllBytes(train, bytes);
        AssertUserError(["pretrain", "--preset", "tiny", "--shards", outOfRange, "--steps", "2", "--out", TempDirectory()], "is outside the vocabulary");

        var garbageTokenizer = Shards();
        File.WriteAllText(Path.Combine(garbageTokenizer, "tokenizer", "tokenizer.json"), "{\"kind\": \"char\", \"chars\": 42}");
        AssertUserError(["pretrain", "--preset", "tiny", "--shards", garbageTokenizer, "--steps", "2", "--out", TempDirectory()], "tokenizer.json is damaged");

        var nulls = Shards();
        var meta = Path.Combine(nulls, "meta.json");
        File.WriteAllText(meta, File.ReadAllText(meta).Replace("\"tokenizer\": \"char\"", "\"tokenizer\": null"));
        AssertUserError(["pretrain", "--preset", "tiny", "--shards", nulls, "--steps", "2", "--out", TempDirectory()], "meta.json is damaged");

        var notebook = Path.Combine(TempDirectory(), "number.ipynb");
        File.WriteAllText(notebook, """{"cells": [{"cell_type": "code", "source": 42, "metadata": {}, "outputs": []}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}""");
        var (exitCode, output) = Run("notebooks", "run", notebook);
        Assert.True(exitCode == 1, output);
        Assert.Contains("cell 1 is not a valid nbformat cell", output);
        Assert.DoesNotContain("   at ", output);
    }

    [Fact]
    public void Defect08_finetune_refuses_a_used_out_and_a_flipped_byte_in_its_weights()
    {
        var (pretrained, classifier) = (TempDirectory(), TempDirectory());
        Succeeds("pretrain", "--preset", "tiny", "--corpus", SmallCorpus(), "--steps", "2", "--eval-interval", "2", "--eval-batches", "1", "--out", pretrained);
        string[] finetune = ["finetune", "--checkpoint", Path.Combine(pretrained, "checkpoints", "latest"), "--steps", "2", "--batch-size", "4", "--out", classifier];
        Succeeds(finetune);
        var weights = Path.Combine(classifier, "classifier.safetensors");
        var before = File.ReadAllBytes(weights);
        AssertUserError(finetune, "already holds a run. Add --resume to continue it");
        Assert.Equal(before, File.ReadAllBytes(weights));

        before[^3] ^= 0x40;
        File.WriteAllBytes(weights, before);
        AssertUserError(["evaluate-classifier", "--checkpoint", classifier, "--split", "validation"], "does not match its recorded sha256");
    }

    [Fact]
    public void Defect09_data_prepare_never_overwrites_shards_and_clears_what_a_killed_preparation_left()
    {
        var shards = Path.Combine(TempDirectory(), "shards");
        var corpus = SmallCorpus();
        Succeeds("data", "prepare", "--corpus", corpus, "--tokenizer", "char", "--out", shards);
        var train = SHA256.HashData(File.ReadAllBytes(Path.Combine(shards, "train.bin")));
        AssertUserError(["data", "prepare", "--corpus", corpus, "--tokenizer", "bpe:300", "--out", shards], "already holds token shards");
        Assert.Equal(train, SHA256.HashData(File.ReadAllBytes(Path.Combine(shards, "train.bin"))));

        // A preparation killed before its last rename: a temporary folder and a train.bin, no meta.json.
        var killed = Path.Combine(TempDirectory(), "killed");
        Directory.CreateDirectory(Path.Combine(killed, ".prepare-0123"));
        File.WriteAllText(Path.Combine(killed, "train.bin"), "half");
        Succeeds("data", "prepare", "--corpus", corpus, "--tokenizer", "char", "--out", killed);
        Assert.False(Directory.Exists(Path.Combine(killed, ".prepare-0123")));
        Succeeds("pretrain", "--preset", "tiny", "--shards", killed, "--steps", "2", "--eval-interval", "2", "--eval-batches", "1", "--out", TempDirectory());
    }

    [Fact]
    public void Defect10_numbers_at_the_edges_end_in_one_line_and_a_diverged_run_keeps_its_last_good_checkpoint()
    {
        var (corpus, run) = (SmallCorpus(), TempDirectory());
        var (exitCode, output) = Run(Tiny(corpus, run, "--steps", "200", "--eval-interval", "1000", "--lr", "1e4"));
        Assert.True(exitCode == 1, output);
        Assert.Contains("error: Training diverged at step", output);
        Assert.DoesNotContain("   at ", output);
        Assert.Equal("failed", RunJson(run).GetProperty("status").GetString());
        Succeeds("sample", "--checkpoint", Path.Combine(run, "checkpoints", "latest"), "--tokens", "5"); // the kept checkpoint loads and samples

        var unused = Path.Combine(TempDirectory(), "never-made");
        AssertUserError(Tiny(corpus, unused, "--lr", "Infinity"), "LearningRate must be a finite number");
        Assert.False(Directory.Exists(unused), "a refused run must not leave a folder");
        AssertUserError(["sample", "--checkpoint", Path.Combine(run, "checkpoints", "latest"), "--temperature", "1e-40"], "Temperature must be 0 (greedy) or between 0.01 and 100");
        AssertUserError(["notebooks", "run", "x.ipynb", "--timeout", "Infinity"], "--timeout must be a number of seconds");
        AssertUserError(["pretrain", "--steps", "99999999999"], "as a whole number up to 2,147,483,647");
        Assert.DoesNotContain("System.", Run("pretrain", "--steps", "99999999999").Output);
    }

    [Fact]
    public void Defect11_huge_values_are_refused_with_a_reason_and_samples_stream()
    {
        var (corpus, run) = (SmallCorpus(), TempDirectory());
        AssertUserError(Tiny(corpus, TempDirectory(), "--batch-size", "2000000000"), "needs at least");
        AssertUserError(["sweep", "--grid", "block_size=100000", "--corpus", corpus, "--out", TempDirectory()], "block_size must be a whole number from 1 to 4,096");
        Succeeds(Tiny(corpus, run, "--steps", "2", "--eval-interval", "2"));
        var checkpoint = Path.Combine(run, "checkpoints", "latest");
        AssertUserError(["sample", "--checkpoint", checkpoint, "--tokens", "2000000000"], "--tokens must be from 0 to 100,000");
        using var sampling = new CourseProcess("sample", "--checkpoint", checkpoint, "--tokens", "100000", "--prompt", "line");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (sampling.Output.Split('\n').Length < 4 && clock.Elapsed < Minute && !sampling.HasExited) Thread.Sleep(100);
        Assert.False(sampling.HasExited, sampling.Output);
        Assert.True(sampling.Output.Split('\n').Length >= 4, $"no text streamed within a minute:\n{sampling.Output}");
    }

    [Fact]
    public void Defect12_messages_name_files_as_files_leak_no_internal_names_and_give_the_charts_real_path()
    {
        var file = Path.Combine(TempDirectory(), "weights.bin");
        File.WriteAllText(file, "");
        AssertUserError(["evaluate", "--checkpoint", file], $"{file} is a file, not a checkpoint folder");

        var (corpus, run) = (SmallCorpus(), TempDirectory());
        Succeeds(Tiny(corpus, run, "--steps", "2", "--eval-interval", "2"));
        var unknownCharacter = Run("sample", "--checkpoint", Path.Combine(run, "checkpoints", "latest"), "--prompt", "🙂");
        Assert.Equal(1, unknownCharacter.ExitCode);
        Assert.DoesNotContain("(Parameter", unknownCharacter.Output);

        var shards = Path.Combine(TempDirectory(), "shards");
        Succeeds("data", "prepare", "--corpus", corpus, "--out", shards);
        File.Delete(Path.Combine(shards, "val.bin"));
        var missing = Run("pretrain", "--preset", "tiny", "--shards", shards, "--out", TempDirectory());
        Assert.Equal(1, missing.ExitCode);
        Assert.DoesNotContain("ShardPreparer", missing.Output);

        var chart = Path.Combine(TempDirectory(), "compare");
        Assert.Contains($"{chart}.html", Succeeds("runs", "compare", run, "--chart", chart));
        Assert.True(File.Exists(chart + ".html"));
    }
}
