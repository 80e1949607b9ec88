using System.Text.Json;
using Course.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Course.Training;

/// <summary>
/// The C# half of the test against PyTorch (in the manner of llm.c's test_gpt2): a small GPT, a batch, and what the
/// C# model computes from them — logits, loss, every gradient, and the losses of a few AdamW steps with clipping —
/// written as safetensors for tools/pytorch-reference/compare.py, which loads the same weights into a PyTorch
/// model written independently and compares every number.
/// </summary>
public static class PyTorchReference
{
    public static readonly GptConfig Config = new(VocabSize: 96, BlockSize: 32, NLayer: 2, NHead: 4, NEmbd: 64);
    public const int BatchSize = 4, Steps = 5;
    public const double LearningRate = 1e-2, WeightDecay = 0.1, Beta1 = 0.9, Beta2 = 0.95, GradClip = 1.0;

    /// <summary>Writes weights.safetensors (initial weights, config and hyperparameters in the metadata),
    /// batch.safetensors (x, y) and outputs.safetensors (logits, loss, grad.NAME, step_losses) to <paramref name="directory"/>.</summary>
    public static void Write(string directory, Device device)
    {
        Directory.CreateDirectory(directory);
        using var scope = NewDisposeScope();
        manual_seed(1234);
        using var model = new Gpt(Config);
        model.to(device);
        var generator = new Generator(42);
        var x = randint(Config.VocabSize, [BatchSize, Config.BlockSize], generator: generator).to(device);
        var y = randint(Config.VocabSize, [BatchSize, Config.BlockSize], generator: generator).to(device);
        var metadata = new Dictionary<string, string>
        {
            ["config"] = JsonSerializer.Serialize(Config),
            ["optimizer"] = JsonSerializer.Serialize(new { lr = LearningRate, weight_decay = WeightDecay, beta1 = Beta1, beta2 = Beta2, eps = 1e-8, grad_clip = GradClip, steps = Steps }),
        };
        Save(directory, "weights.safetensors", model.named_parameters().Select(p => (p.name, (Tensor)p.parameter)), metadata);
        Save(directory, "batch.safetensors", [("x", x), ("y", y)]);

        var (logits, loss) = model.forward(x, y);
        loss.backward();
        var outputs = new List<(string, Tensor)> { ("logits", logits.detach()), ("loss", loss.detach()) };
        outputs.AddRange(model.named_parameters().Select(p => ($"grad.{p.name}", p.parameter.grad!.clone())));

        using var optimizer = new AdamW(model.named_parameters(), WeightDecay, Beta1, Beta2);
        var losses = new float[Steps];
        for (int step = 0; step < Steps; step++)
        {
            optimizer.ZeroGrad();
            var stepLoss = model.forward(x, y).Loss;
            stepLoss.backward();
            optimizer.Update(LearningRate, GradClip);
            losses[step] = stepLoss.item<float>();
        }
        outputs.Add(("step_losses", tensor(losses)));
        Save(directory, "outputs.safetensors", outputs);
    }

    private static void Save(string directory, string file, IEnumerable<(string, Tensor)> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        using var stream = File.Create(Path.Combine(directory, file));
        SafeTensors.Write(stream, tensors, metadata);
    }
}
