using Course.Shipping.Inference;
using Course.Shipping.Serving;
using Course.Tests.Training;

namespace Course.Tests.Shipping;

/// <summary>A tiny GPT trained for a few steps, served both ways: from TorchSharp and from its ONNX export.</summary>
public sealed class ServingFixture : IDisposable
{
    public ICompletionModel Torch { get; }
    public ICompletionModel Onnx { get; }

    public ServingFixture()
    {
        var run = TrainingFixtures.TempDirectory();
        using (var trainer = TrainingFixtures.NewTrainer(TrainingFixtures.Options(steps: 30), run, dropout: 0)) trainer.Run();
        var checkpoint = Path.Combine(run, Course.Training.Trainer.LatestCheckpoint);
        Torch = TorchCompletionModel.FromCheckpoint(checkpoint);
        Onnx = OnnxCompletionModel.FromFile(Course.Shipping.Export.OnnxExport.FromCheckpoint(checkpoint, Path.Combine(run, "onnx"), new(KvCache: true)));
    }

    public Task<CompletionServer> Start(ICompletionModel? model = null, int maxConcurrent = 4) =>
        CompletionServer.StartAsync(model ?? Torch, new ServerOptions { Port = 0, MaxConcurrentGenerations = maxConcurrent, MaxTokens = 256 });

    /// <summary>The same model, made to take <paramref name="perToken"/> for every token, as a large model would: a tiny
    /// model on a fast machine writes a whole completion within one network read, and then nothing shows it streamed.</summary>
    public static ICompletionModel Paced(ICompletionModel model, TimeSpan perToken) => new PacedModel(model, perToken);

    private sealed class PacedModel(ICompletionModel inner, TimeSpan perToken) : ICompletionModel
    {
        public string Name => inner.Name;
        public string Backend => inner.Backend;
        public Course.Data.ITokenizer Tokenizer => inner.Tokenizer;
        public int BlockSize => inner.BlockSize;

        public IEnumerable<int> Continue(IReadOnlyList<int> prompt, int maxNewTokens, Course.Evaluation.NextTokenSampler sampler, ulong seed)
        {
            foreach (var token in inner.Continue(prompt, maxNewTokens, sampler, seed))
            {
                Thread.Sleep(perToken);
                yield return token;
            }
        }

        // The fixture owns the inner model.
        public void Dispose() { }
    }

    public void Dispose()
    {
        Torch.Dispose();
        Onnx.Dispose();
    }
}
