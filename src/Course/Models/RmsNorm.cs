using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Course.Models;

/// <summary>
/// RMSNorm (Zhang and Sennrich, 2019): y = x / √(mean(x²) + ε) · g over the last dimension. LayerNorm without the
/// mean subtraction and without a bias: one statistic per vector instead of two, and it works as well in practice.
/// The statistic is computed in fp32 whatever the input's dtype.
/// </summary>
public sealed class RmsNorm : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;

    public RmsNorm(long dim, double eps = 1e-5) : base(nameof(RmsNorm))
    {
        weight = nn.Parameter(ones(dim));
        Eps = eps;
        RegisterComponents();
    }

    public double Eps { get; }

    public override Tensor forward(Tensor x)
    {
        var x32 = x.to(ScalarType.Float32);
        var normalised = x32 * (x32.square().mean([-1], keepdim: true) + Eps).rsqrt();
        return normalised.to(x.dtype) * weight;
    }
}
