using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Course.Training;

/// <summary>
/// AdamW (Loshchilov and Hutter, 2019): Adam with decoupled weight decay. For each parameter θ with gradient g at
/// step t: m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; θ ← θ − lr·λ·θ − lr·(m / (1−β₁ᵗ)) / (√(v / (1−β₂ᵗ)) + ε).
/// </summary>
/// <remarks>
/// Parameters fall in two groups, as in GPT-2 and nanoGPT: matrices and embeddings (dim ≥ 2) decay;
/// biases and LayerNorm gains (dim &lt; 2) do not. The arithmetic is PyTorch's (torch.optim.AdamW), which a test
/// checks against TorchSharp's own AdamW. The project keeps its own optimizer so that its state (m, v and the
/// step, by parameter name) goes into checkpoints in a documented form and resumes exactly.
/// </remarks>
public sealed class AdamW : IDisposable
{
    private readonly (string Name, Parameter Theta, Tensor M, Tensor V, bool Decay)[] _slots;

    public double WeightDecay { get; }
    public double Beta1 { get; }
    public double Beta2 { get; }
    public double Epsilon { get; }

    /// <summary>Completed update steps (t).</summary>
    public int Step { get; private set; }

    public AdamW(IEnumerable<(string Name, Parameter Parameter)> parameters, double weightDecay = 0.1, double beta1 = 0.9, double beta2 = 0.95, double epsilon = 1e-8)
    {
        (WeightDecay, Beta1, Beta2, Epsilon) = (weightDecay, beta1, beta2, epsilon);
        _slots = parameters.Where(p => p.Parameter.requires_grad)
            .Select(p => (p.Name, p.Parameter, zeros_like(p.Parameter), zeros_like(p.Parameter), p.Parameter.dim() >= 2))
            .ToArray();
    }

    public IEnumerable<string> DecayedParameters => _slots.Where(s => s.Decay).Select(s => s.Name);
    public IEnumerable<string> UndecayedParameters => _slots.Where(s => !s.Decay).Select(s => s.Name);

    public void ZeroGrad()
    {
        foreach (var slot in _slots) slot.Theta.grad?.zero_();
    }

    /// <summary>One update with learning rate <paramref name="lr"/>; parameters without a gradient are skipped.</summary>
    public void Update(double lr)
    {
        Step++;
        var biasCorrection1 = 1 - Math.Pow(Beta1, Step);
        var biasCorrection2 = 1 - Math.Pow(Beta2, Step);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        foreach (var (_, theta, m, v, decay) in _slots)
        {
            if (theta.grad is not { } g) continue;
            if (decay) theta.mul_(1 - lr * WeightDecay);
            m.mul_(Beta1).add_(g, alpha: 1 - Beta1);
            v.mul_(Beta2).addcmul_(g, g, value: 1 - Beta2);
            var denominator = (v.sqrt() / Math.Sqrt(biasCorrection2)).add_(Epsilon);
            theta.addcdiv_(m, denominator, value: -lr / biasCorrection1);
        }
    }

    /// <summary>The state to checkpoint: m and v of each parameter, named "exp_avg.NAME" and "exp_avg_sq.NAME" as in PyTorch.</summary>
    public IEnumerable<(string Name, Tensor Tensor)> StateTensors() =>
        _slots.SelectMany(s => new[] { ($"exp_avg.{s.Name}", s.M), ($"exp_avg_sq.{s.Name}", s.V) });

    /// <summary>Restores state written by <see cref="StateTensors"/>; every tensor must be present with the right shape.</summary>
    public void LoadState(IReadOnlyDictionary<string, Tensor> tensors, int step)
    {
        // Check everything first, so a mismatched state is refused without changing anything.
        var pairs = _slots.SelectMany(s => new[] { ($"exp_avg.{s.Name}", s.M), ($"exp_avg_sq.{s.Name}", s.V) }).ToList();
        foreach (var (key, target) in pairs)
        {
            if (!tensors.TryGetValue(key, out var saved))
                throw new InvalidDataException($"The optimizer state has no '{key}': it belongs to a different model.");
            if (!saved.shape.SequenceEqual(target.shape))
                throw new InvalidDataException($"The optimizer state '{key}' has shape [{string.Join(", ", saved.shape)}], the model needs [{string.Join(", ", target.shape)}].");
        }
        using var noGrad = no_grad();
        foreach (var (key, target) in pairs) target.copy_(tensors[key]);
        Step = step;
    }

    public void Dispose()
    {
        foreach (var slot in _slots)
        {
            slot.M.Dispose();
            slot.V.Dispose();
        }
    }
}
