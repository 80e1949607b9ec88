namespace Course.Cli.Tests;

/// <summary>Bad input to `course pretrain` gives one clear message, exit code 1, and no stack trace.</summary>
public class PretrainErrorTests
{
    internal static string TempDirectory() => TestFolders.New();

    /// <summary>A small corpus of about 6,000 characters: enough for the tiny preset's context of 16.</summary>
    internal static string SmallCorpus()
    {
        var path = Path.Combine(TempDirectory(), "corpus.txt");
        File.WriteAllText(path, string.Concat(Enumerable.Range(0, 200).Select(i => $"line {i % 13} of the corpus.\n")));
        return path;
    }

    internal static void AssertUserError(string[] arguments, string expected)
    {
        var (exitCode, output) = CourseProcess.Run(arguments);
        Assert.True(exitCode == 1, $"exit code {exitCode}; output:\n{output}");
        Assert.Contains(expected, output);
        Assert.DoesNotContain("   at ", output); // a stack trace frame
        Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => line.StartsWith("error:"));
    }

    [Fact]
    public void Unknown_preset() =>
        AssertUserError(["pretrain", "--preset", "huge", "--out", TempDirectory()], "Unknown preset 'huge'. Known presets: tiny");

    [Fact]
    public void Missing_corpus_file() =>
        AssertUserError(["pretrain", "--preset", "tiny", "--corpus", "/nonexistent/corpus.txt", "--out", TempDirectory()], "/nonexistent/corpus.txt");

    [Fact]
    public void Empty_corpus()
    {
        var empty = Path.Combine(TempDirectory(), "empty.txt");
        File.WriteAllText(empty, "");
        AssertUserError(["pretrain", "--preset", "tiny", "--corpus", empty, "--out", TempDirectory()], "empty");
    }

    [Fact]
    public void Corpus_shorter_than_the_context_window()
    {
        var shortCorpus = Path.Combine(TempDirectory(), "short.txt");
        File.WriteAllText(shortCorpus, "just a few words, not enough for a window");
        AssertUserError(["pretrain", "--preset", "tiny", "--corpus", shortCorpus, "--out", TempDirectory()], "shorter than one context window");
    }

    [Fact]
    public void Steps_not_positive() =>
        AssertUserError(["pretrain", "--preset", "tiny", "--corpus", SmallCorpus(), "--steps", "0", "--out", TempDirectory()], "Steps must be positive (got 0)");

    [Fact]
    public void Unwritable_output_folder()
    {
        var file = Path.Combine(TempDirectory(), "a-file");
        File.WriteAllText(file, "");
        AssertUserError(["pretrain", "--preset", "tiny", "--corpus", SmallCorpus(), "--out", Path.Combine(file, "run")], "Cannot write to the run folder");
    }

    [Fact]
    public void Resuming_a_checkpoint_of_another_configuration_and_reusing_a_run_folder()
    {
        var run = TempDirectory();
        var corpus = SmallCorpus();
        var (exitCode, output) = CourseProcess.Run("pretrain", "--preset", "tiny", "--corpus", corpus, "--steps", "2", "--eval-interval", "1", "--eval-batches", "1", "--out", run);
        Assert.True(exitCode == 0, output);
        AssertUserError(["pretrain", "--preset", "cpu-small", "--corpus", corpus, "--steps", "2", "--out", run, "--resume"], "--preset cpu-small (the run's model is tiny");
        AssertUserError(["pretrain", "--preset", "tiny", "--corpus", corpus, "--steps", "2", "--out", run], "already holds a run. Add --resume");
    }

    [Fact]
    public void Damaged_checkpoint_for_sample()
    {
        var notACheckpoint = TempDirectory();
        AssertUserError(["sample", "--checkpoint", notACheckpoint], "is not a checkpoint");
    }
}
