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

    public void Dispose()
    {
        Torch.Dispose();
        Onnx.Dispose();
    }
}
