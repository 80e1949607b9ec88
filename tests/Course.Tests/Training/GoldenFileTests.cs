using System.Text.Json;
using Course.Models;
using Course.Training;
using static TorchSharp.torch;

namespace Course.Tests.Training;

/// <summary>
/// The C# GPT and AdamW against numbers PyTorch computed (llm.c's test_gpt2, without Python at test time):
/// Golden/gpt-pytorch-1.13.safetensors holds a small GPT's initial weights, a batch, and what the independent model
/// of tools/pytorch-reference computed from them with Debian 12's PyTorch 1.13 on a CPU in fp32: logits, loss, every
/// gradient, and the losses and weights of five AdamW steps with gradient clipping. Regenerate it with
/// `python3 tools/pytorch-reference/golden.py tests/Course.Tests/Golden/gpt-pytorch-1.13.safetensors`.
/// </summary>
public class GoldenFileTests(Xunit.Abstractions.ITestOutputHelper log)
{
    // Both sides compute in fp32 on a CPU, with different kernels (libtorch 2.10 here, 1.13 there): last-bit differences.
    // Five AdamW steps amplify them in one place: the key bias of attention, whose gradient is exactly 0 in exact
    // arithmetic (adding it shifts every score of a row equally), so its m/√v is the sign of rounding noise.
    private const double Logits = 1e-5, Loss = 1e-6, Gradients = 1e-6, StepLosses = 1e-5, Weights = 1e-5, QkvBias = 1e-4;

    [Fact]
    public void The_gpt_and_adamw_match_pytorch_on_logits_loss_gradients_and_five_steps()
    {
        using var golden = SafeTensors.Read(Path.Combine(AppContext.BaseDirectory, "Golden", "gpt-pytorch-1.13.safetensors"));
        var t = golden.Tensors;
        var config = JsonSerializer.Deserialize<GptConfig>(golden.Metadata["config"])!;
        var optimizer = JsonDocument.Parse(golden.Metadata["optimizer"]).RootElement;
        double Hyper(string name) => optimizer.GetProperty(name).GetDouble();
        using var scope = NewDisposeScope();
        using var model = new Gpt(config);
        Checkpoint.LoadWeights(model, Prefixed(t, "weight."));
        model.train();

        var (logits, loss) = model.forward(t["x"], t["y"]);
        loss.backward();
        AssertClose(t["logits"], logits, Logits, "logits");
        AssertClose(t["loss"], loss.reshape(1), Loss, "loss");
        foreach (var (name, parameter) in model.named_parameters()) AssertClose(t[$"grad.{name}"], parameter.grad!, Gradients, $"gradient of {name}");

        using var adamw = new AdamW(model.named_parameters(), Hyper("weight_decay"), Hyper("beta1"), Hyper("beta2"), Hyper("eps"));
        var losses = new List<float>();
        for (var step = 0; step < optimizer.GetProperty("steps").GetInt32(); step++)
        {
            adamw.ZeroGrad();
            var stepLoss = model.forward(t["x"], t["y"]).Loss;
            stepLoss.backward();
            adamw.Update(Hyper("lr"), Hyper("grad_clip"));
            losses.Add(stepLoss.item<float>());
        }
        AssertClose(t["step_losses"], tensor(losses.ToArray()), StepLosses, "losses of the AdamW steps");
        foreach (var (name, parameter) in model.named_parameters()) AssertClose(t[$"after.{name}"], parameter, name.EndsWith("attn.c_attn.bias") ? QkvBias : Weights, $"{name} after the AdamW steps");
    }

    private static Dictionary<string, Tensor> Prefixed(Dictionary<string, Tensor> tensors, string prefix) =>
        tensors.Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(p => p.Key[prefix.Length..], p => p.Value);

    private void AssertClose(Tensor expected, Tensor actual, double tolerance, string what)
    {
        Assert.Equal(expected.shape, actual.shape);
        var difference = (expected - actual.detach()).abs().max().item<float>();
        log.WriteLine($"{what}: max |C# - PyTorch| = {difference:E2} (tolerance {tolerance:E0})");
        Assert.True(difference <= tolerance, $"{what}: max |C# - PyTorch| = {difference:E2}, above {tolerance:E0}");
    }
}
