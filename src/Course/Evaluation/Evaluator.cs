using Course.Models;
using static TorchSharp.torch;

namespace Course.Evaluation;

/// <summary>Loss-based evaluation: mean cross-entropy in nats, and the same number as perplexity and bits.</summary>
public static class Evaluator
{
    /// <summary>Mean loss of <paramref name="model"/> (in eval mode, without gradients) over <paramref name="batches"/>
    /// batches from <paramref name="nextBatch"/>.</summary>
    public static double MeanLoss(LanguageModel model, Func<int, (Tensor X, Tensor Y)> nextBatch, int batches)
    {
        model.eval();
        using var noGrad = no_grad();
        double sum = 0;
        for (int i = 0; i < batches; i++)
        {
            using var scope = NewDisposeScope();
            var (x, y) = nextBatch(i);
            sum += model.forward(x, y).Loss.item<float>();
        }
        return sum / batches;
    }

    /// <summary>e^loss: the number of equally likely choices the model is, on average, hesitating between.</summary>
    public static double Perplexity(double lossNats) => Math.Exp(lossNats);

    /// <summary>Loss in bits per character: nats → bits (÷ ln 2), per token → per character (× tokens per character;
    /// 1 for a character-level tokenizer).</summary>
    public static double BitsPerCharacter(double lossNats, double tokensPerCharacter = 1.0) => lossNats / Math.Log(2) * tokensPerCharacter;

    /// <summary>The unigram baseline of a corpus split as <see cref="Data.TokenSplit"/> splits it (the first 90% trains).</summary>
    public static double UnigramBitsPerCharacter(string corpus, double trainFraction = Data.TokenSplit.DefaultTrainFraction)
    {
        var cut = (int)(corpus.Length * trainFraction);
        return UnigramBitsPerCharacter(corpus[..cut], corpus[cut..]);
    }

    /// <summary>The cross-entropy, in bits per character, of <paramref name="validation"/> under the character
    /// frequencies of <paramref name="train"/> (add-one smoothed): what a model that ignores context achieves.</summary>
    public static double UnigramBitsPerCharacter(string train, string validation)
    {
        var counts = new Dictionary<char, long>();
        foreach (var c in train) counts[c] = counts.GetValueOrDefault(c) + 1;
        var alphabet = counts.Keys.Union(validation).Count();
        double total = train.Length + alphabet, bits = 0;
        foreach (var c in validation) bits -= Math.Log2((counts.GetValueOrDefault(c) + 1) / total);
        return bits / validation.Length;
    }
}
