using Course.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Course.Tests.Training;

public class AdamWTests
{
    [Fact]
    public void Matches_TorchSharp_AdamW_with_decay_and_no_decay_groups()
    {
        var config = Course.Preset.Named("tiny").Model;
        manual_seed(3);
        using var ours = new Gpt(config);
        manual_seed(3);
        using var reference = new Gpt(config);
        using var optimizer = new Course.Training.AdamW(ours.named_parameters(), weightDecay: 0.1, beta1: 0.9, beta2: 0.95);
        var decay = reference.parameters().Where(p => p.dim() >= 2).ToList();
        var noDecay = reference.parameters().Where(p => p.dim() < 2).ToList();
        using var torchAdamW = optim.AdamW([
            new TorchSharp.Modules.AdamW.ParamGroup(decay, lr: 1e-2, beta1: 0.9, beta2: 0.95, eps: 1e-8, weight_decay: 0.1),
            new TorchSharp.Modules.AdamW.ParamGroup(noDecay, lr: 1e-2, beta1: 0.9, beta2: 0.95, eps: 1e-8, weight_decay: 0.0)], lr: 1e-2);
        Assert.Equal(decay.Count, optimizer.DecayedParameters.Count());
        Assert.Contains("transformer.h.0.ln_1.weight", optimizer.UndecayedParameters);

        for (int step = 0; step < 5; step++)
        {
            using var scope = NewDisposeScope();
            var x = randint(config.VocabSize, [2, 8], generator: new Generator((ulong)step));
            var y = randint(config.VocabSize, [2, 8], generator: new Generator((ulong)step + 100));
            optimizer.ZeroGrad();
            ours.forward(x, y).Loss.backward();
            optimizer.Update(1e-2);
            torchAdamW.zero_grad();
            reference.forward(x, y).Loss.backward();
            torchAdamW.step();
        }
        var expected = reference.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, a) in ours.named_parameters())
            Assert.True(a.allclose(expected[name], rtol: 1e-5, atol: 1e-6), $"{name} differs by {(a - expected[name]).abs().max().item<float>()}");
    }
}
