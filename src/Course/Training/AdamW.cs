using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Course.Training;

/// <summary>
/// AdamW (Loshchilov and Hutter, 2019): Adam with decoupled weight decay. For each parameter θ with gradient g at
/// step t: m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; θ ← θ − lr·λ·θ − lr·(m / (1−β₁ᵗ)) / (√(v / (1−β₂ᵗ)) + ε).
/// Gradient clipping by global norm comes first: g ← g · min(1, c / (‖g‖ + 10⁻⁶)).
/// </summary>
/// <remarks>
/// <para>Parameters fall in two groups, as in GPT-2 and nanoGPT: matrices and embeddings (dim ≥ 2) decay; biases
/// and LayerNorm gains (dim &lt; 2) do not. The arithmetic is PyTorch's (torch.optim.AdamW), which a test checks
/// against TorchSharp's own AdamW.</para>
/// <para>Flat buffers: every parameter is re-pointed (<c>set_</c>) at a slice of one flat tensor, decayed ones first,
/// and every gradient at a slice of another. An update is then about a dozen element-wise kernels over the whole
/// model instead of a dozen per parameter tensor (GPT-2 has 148), which matters on a GPU where each launch costs
/// microseconds. Gradients accumulate into their slices in place, so <see cref="ZeroGrad"/> zeroes one tensor.</para>
/// <para>Mixed precision: when the model's parameters are bf16, the optimizer keeps an fp32 master copy of them
/// and fp32 m and v, updates the master copy, and casts it back into the bf16 parameters once per step. Gradients
/// of bf16 parameters arrive in bf16; <see cref="AccumulateGradients"/> adds them into an fp32 buffer after each
/// micro-batch, so that accumulating many micro-batches does not lose precision.</para>
/// </remarks>
public sealed class AdamW : IDisposable
{
    private readonly (string Name, Parameter Parameter, long Offset)[] _slots;
    private readonly Tensor _parameters, _gradients, _master, _gradients32, _m, _v;
    private readonly long _decayedElements;

    public double WeightDecay { get; }
    public double Beta1 { get; }
    public double Beta2 { get; }
    public double Epsilon { get; }

    /// <summary>Completed update steps (t).</summary>
    public int Step { get; private set; }

    public AdamW(IEnumerable<(string Name, Parameter Parameter)> parameters, double weightDecay = 0.1, double beta1 = 0.9, double beta2 = 0.95, double epsilon = 1e-8)
    {
        (WeightDecay, Beta1, Beta2, Epsilon) = (weightDecay, beta1, beta2, epsilon);
        var trainable = parameters.Where(p => p.Parameter.requires_grad)
            .OrderBy(p => p.Parameter.dim() >= 2 ? 0 : 1).ThenBy(p => p.Name, StringComparer.Ordinal).ToList();
        if (trainable.Count == 0) throw new ArgumentException("AdamW needs at least one parameter that requires a gradient.");
        var first = trainable[0].Parameter;
        if (trainable.Any(p => p.Parameter.dtype != first.dtype || p.Parameter.device_type != first.device_type || p.Parameter.device_index != first.device_index))
            throw new ArgumentException("AdamW packs parameters into one flat buffer: they must share one dtype and device. Move or cast the model first.");

        long offset = 0;
        _slots = trainable.Select(p => { var slot = (p.Name, p.Parameter, offset); offset += p.Parameter.numel(); return slot; }).ToArray();
        _decayedElements = _slots.Where(s => s.Parameter.dim() >= 2).Sum(s => s.Parameter.numel());
        _parameters = empty(offset, dtype: first.dtype, device: first.device);
        _gradients = zeros(offset, dtype: first.dtype, device: first.device);
        using (no_grad())
        {
            foreach (var (_, parameter, start) in _slots)
            {
                var n = parameter.numel();
                _parameters.narrow(0, start, n).copy_(parameter.flatten());
                parameter.set_(_parameters.narrow(0, start, n).view(parameter.shape));
                parameter.grad = _gradients.narrow(0, start, n).view(parameter.shape);
            }
        }
        var fp32 = first.dtype == ScalarType.Float32;
        _master = fp32 ? _parameters : _parameters.to(ScalarType.Float32);
        _gradients32 = fp32 ? _gradients : zeros(offset, dtype: ScalarType.Float32, device: first.device);
        _m = zeros(offset, dtype: ScalarType.Float32, device: first.device);
        _v = zeros(offset, dtype: ScalarType.Float32, device: first.device);
    }

    public IEnumerable<string> DecayedParameters => _slots.Where(s => s.Parameter.dim() >= 2).Select(s => s.Name);
    public IEnumerable<string> UndecayedParameters => _slots.Where(s => s.Parameter.dim() < 2).Select(s => s.Name);

    public void ZeroGrad()
    {
        _gradients.zero_();
        if (!ReferenceEquals(_gradients32, _gradients)) _gradients32.zero_();
    }

    /// <summary>For bf16 models, moves the gradients of the micro-batch just back-propagated into the fp32
    /// accumulator. <see cref="Update"/> does this for the last micro-batch; call it after each earlier one.
    /// Nothing to do for fp32 models, whose gradients accumulate in fp32 already.</summary>
    public void AccumulateGradients()
    {
        if (ReferenceEquals(_gradients32, _gradients)) return;
        _gradients32.add_(_gradients);
        _gradients.zero_();
    }

    /// <summary>Clips the gradients to global norm <paramref name="maxNorm"/> (0: no clipping), then makes one update
    /// with learning rate <paramref name="lr"/>. Returns the global gradient norm before clipping, as a scalar tensor
    /// on the parameters' device, so that reading it (a GPU sync) is the caller's choice.</summary>
    public Tensor Update(double lr, double maxNorm = 0)
    {
        Step++;
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        AccumulateGradients();
        var g = _gradients32;
        var norm = g.norm();
        if (maxNorm > 0) g.mul_((maxNorm / (norm + 1e-6)).clamp_(max: 1.0)); // in place, as torch's clip_grad_norm_
        _master.narrow(0, 0, _decayedElements).mul_(1 - lr * WeightDecay);
        _m.mul_(Beta1).add_(g, alpha: 1 - Beta1);
        _v.mul_(Beta2).addcmul_(g, g, value: 1 - Beta2);
        var denominator = _v.sqrt().div_(Math.Sqrt(1 - Math.Pow(Beta2, Step))).add_(Epsilon);
        _master.addcdiv_(_m, denominator, value: -lr / (1 - Math.Pow(Beta1, Step)));
        if (!ReferenceEquals(_master, _parameters)) _parameters.copy_(_master);
        return norm.MoveToOuterDisposeScope();
    }

    /// <summary>The fp32 master weights by parameter name (views, not copies): what a checkpoint stores.</summary>
    public IEnumerable<(string Name, Tensor Tensor)> MasterWeights() => Views(_master);

    /// <summary>The state to checkpoint: m and v of each parameter, named "exp_avg.NAME" and "exp_avg_sq.NAME" as in PyTorch.</summary>
    public IEnumerable<(string Name, Tensor Tensor)> StateTensors() =>
        Views(_m).Select(p => ($"exp_avg.{p.Name}", p.Tensor)).Concat(Views(_v).Select(p => ($"exp_avg_sq.{p.Name}", p.Tensor)));

    /// <summary>Restores weights and state written from <see cref="MasterWeights"/> and <see cref="StateTensors"/>.
    /// Every tensor must be present with the right shape; nothing changes unless all are.</summary>
    public void LoadState(IReadOnlyDictionary<string, Tensor> weights, IReadOnlyDictionary<string, Tensor> state, int step)
    {
        using var scope = NewDisposeScope();
        var targets = MasterWeights().Select(w => (Source: weights, w.Name, w.Tensor, What: "weight"))
            .Concat(StateTensors().Select(s => (Source: state, s.Name, s.Tensor, What: "optimizer state")))
            .ToList();
        foreach (var (source, name, target, what) in targets)
        {
            if (!source.TryGetValue(name, out var saved))
                throw new UserError($"The checkpoint has no {what} '{name}': it belongs to a different model.");
            if (!saved.shape.SequenceEqual(target.shape))
                throw new UserError($"The checkpoint's {what} '{name}' has shape [{string.Join(", ", saved.shape)}], the model needs [{string.Join(", ", target.shape)}].");
        }
        using var noGrad = no_grad();
        foreach (var (source, name, target, _) in targets) target.copy_(source[name]);
        if (!ReferenceEquals(_master, _parameters)) _parameters.copy_(_master);
        Step = step;
    }

    private IEnumerable<(string Name, Tensor Tensor)> Views(Tensor flat) =>
        _slots.Select(s => (s.Name, flat.narrow(0, s.Offset, s.Parameter.numel()).view(s.Parameter.shape)));

    public void Dispose()
    {
        // Disposing these handles frees nothing the model still uses: its parameters and gradients are views that
        // keep their storage alive.
        foreach (var t in new[] { _m, _v, _gradients, _parameters }) t.Dispose();
        if (!ReferenceEquals(_master, _parameters)) _master.Dispose();
        if (!ReferenceEquals(_gradients32, _gradients)) _gradients32.Dispose();
    }
}
