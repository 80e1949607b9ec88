using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Course.Models;

/// <summary>
/// Llama's feed-forward network, SwiGLU (Shazeer, 2020): down_proj(SiLU(gate_proj(x)) ⊙ up_proj(x)). Per hidden unit,
/// the gate decides how much of up_proj's value passes. Three matrices where GPT's MLP has two, so the hidden width
/// is 2/3 of GPT's 4·d for the same parameters (<see cref="GptConfig.MlpWidth"/>). No biases.
/// </summary>
public sealed class SwiGluMlp : nn.Module<Tensor, Tensor>
{
    private readonly Linear gate_proj, up_proj, down_proj;
    private readonly Dropout dropout;

    public SwiGluMlp(long dModel, long hidden, double dropout = 0.0) : base(nameof(SwiGluMlp))
    {
        gate_proj = nn.Linear(dModel, hidden, hasBias: false);
        up_proj = nn.Linear(dModel, hidden, hasBias: false);
        down_proj = nn.Linear(hidden, dModel, hasBias: false);
        this.dropout = nn.Dropout(dropout);
        RegisterComponents();
    }

    /// <summary>The projection that writes into the residual stream (GPT-2's smaller initial std).</summary>
    public Linear OutputProjection => down_proj;

    public override Tensor forward(Tensor x) => dropout.call(down_proj.call(nn.functional.silu(gate_proj.call(x)) * up_proj.call(x)));
}
