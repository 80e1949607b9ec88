using System.Security.Cryptography;
using System.Text;
using Course.Data;
using Course.Models;
using Course.Training;

namespace Course.Tests.Training;

/// <summary>Small, fast training set-ups shared by the training tests.</summary>
internal static class TrainingFixtures
{
    public static CorpusText Corpus(string text = "")
    {
        if (text.Length == 0)
            text = string.Concat(Enumerable.Range(0, 200).Select(i => $"the {i % 7} cat sat on the {i % 5} mat. "));
        return new CorpusText("test-corpus", text, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text))), text.Length, "test");
    }

    public static GptConfig Config(ITokenizer tokenizer) => Course.Preset.Named("tiny").Model with { VocabSize = tokenizer.VocabSize };

    public static TrainingOptions Options(int steps) => new()
    {
        MaxSteps = steps, BatchSize = 4, LearningRate = 3e-3, MinLearningRate = 3e-4, WarmupSteps = 2,
        EvalInterval = 3, EvalBatches = 2, Seed = 7,
    };

    public static Trainer NewTrainer(TrainingOptions options, string? runDirectory = null, double dropout = 0.1)
    {
        var corpus = Corpus();
        var tokenizer = CharTokenizer.FromText(corpus.Text);
        return new Trainer(Config(tokenizer) with { Dropout = dropout }, corpus, tokenizer, options, TorchSharp.torch.CPU, runDirectory);
    }

    /// <summary>A fresh folder for a test, under <see cref="TestFolders"/>.</summary>
    public static string TempDirectory() => TestFolders.New();
}
