using Course.Data;
using Course.Evaluation;
using Course.Models;
using Course.Training;
using static TorchSharp.torch;

namespace Course.Shipping.Serving;

/// <summary>A checkpoint's model (GPT or Llama) in TorchSharp, on the CPU, generating one token per <see cref="LanguageModel.Generate"/> call.</summary>
public sealed class TorchCompletionModel(LanguageModel model, ITokenizer tokenizer, string name) : ICompletionModel
{
    public static TorchCompletionModel FromCheckpoint(string directory)
    {
        var (model, tokenizer, _) = Checkpoint.LoadModel(directory, CPU);
        return new TorchCompletionModel(model, tokenizer, Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory))));
    }

    public string Name => name;
    public string Backend => "torchsharp";
    public ITokenizer Tokenizer => tokenizer;
    public int BlockSize => model.Config.BlockSize;

    public IEnumerable<int> Continue(IReadOnlyList<int> prompt, int maxNewTokens, NextTokenSampler sampler, ulong seed)
    {
        using var generator = new Generator(seed);
        var tokens = tensor(prompt.Select(i => (long)i).ToArray()).unsqueeze(0);
        try
        {
            for (int i = 0; i < maxNewTokens; i++)
            {
                // Generate crops the context to the block and samples with the same sampler and generator as `course sample`.
                // No KV cache: it lives in the model's layers, which concurrent requests share, and one token per call
                // would not reuse it anyway.
                var longer = model.Generate(tokens, 1, sampler, generator, useCache: false);
                tokens.Dispose();
                tokens = longer;
                yield return (int)tokens[0, -1].item<long>();
            }
        }
        finally
        {
            tokens.Dispose();
        }
    }

    public void Dispose() => model.Dispose();
}
