using System.Text.Json;
using static Course.Cli.Tests.CourseProcess;
using static Course.Cli.Tests.PretrainErrorTests;

namespace Course.Cli.Tests;

/// <summary>The two commands of the README's data section, run as a user runs them: `data prepare`, then
/// `pretrain --shards` (and `evaluate --shards`, and a resume).</summary>
public class ShardTrainingTests
{
    [Fact]
    public void A_corpus_becomes_bpe_shards_that_pretrain_evaluate_and_resume_read()
    {
        var shards = Path.Combine(TempDirectory(), "shards");
        var run = TempDirectory();
        var prepared = Succeeds("data", "prepare", "--corpus", SmallCorpus(), "--tokenizer", "bpe:300", "--out", shards);
        Assert.Contains($"Train on them with: ./course pretrain --shards {shards}", prepared);

        var trained = Succeeds("pretrain", "--preset", "tiny", "--shards", shards, "--steps", "4", "--eval-interval", "2", "--eval-batches", "1", "--out", run);
        Assert.Contains("read memory-mapped", trained);
        using (var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "summary.json"))))
        {
            Assert.Equal("bpe", summary.RootElement.GetProperty("tokenizer").GetString());
            Assert.Equal(4, summary.RootElement.GetProperty("steps").GetInt32());
        }

        var evaluated = Succeeds("evaluate", "--checkpoint", Path.Combine(run, "checkpoints", "latest"), "--shards", shards, "--batches", "2");
        Assert.Contains("bits per character", evaluated);

        var created = Created(run);
        var resumed = Succeeds("pretrain", "--preset", "tiny", "--shards", shards, "--steps", "6", "--eval-interval", "2", "--eval-batches", "1", "--out", run, "--resume");
        Assert.Contains("at step 4", resumed);
        Assert.Equal(created, Created(run)); // run.json keeps the time the run was first started
    }

    [Fact]
    public void Shards_with_a_corpus_or_a_missing_folder_are_user_errors()
    {
        var (exitCode, output) = CourseProcess.Run("pretrain", "--shards", TempDirectory(), "--corpus", "tinyshakespeare", "--out", TempDirectory());
        Assert.True(exitCode == 1, output);
        Assert.Contains("leave out --corpus and --tokenizer", output);

        (exitCode, output) = CourseProcess.Run("pretrain", "--shards", "/nonexistent/shards", "--out", TempDirectory());
        Assert.True(exitCode == 1, output);
        Assert.Contains("No token shards at /nonexistent/shards", output);
        Assert.DoesNotContain("   at ", output);
    }

    private static string Created(string run)
    {
        using var record = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "run.json")));
        return record.RootElement.GetProperty("created").GetString()!;
    }
}
