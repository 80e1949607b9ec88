using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Course.FineTuning.Lora;

/// <summary>
/// A LoRA adapter on one Linear layer (Hu et al., 2021): h = W x + (alpha / r) · B A dropout(x), with A (r × in)
/// initialised as PEFT does (Kaiming-uniform, a = √5) and B (out × r) zeros, so that the adapted layer starts as
/// the original one.
/// </summary>
/// <remarks>
/// <para>The adapter is a forward hook on the Linear, not a module that replaces it: the model keeps its parameter names
/// and its state_dict (checkpoints, weight loading, the optimizer's groups, ONNX export all see the plain model), and A
/// and B live outside it, so nothing that reads the model needs to know about adapters. The models call every
/// submodule through <c>call</c>, so the hook sees every pass.</para>
/// <para>The dropout follows the adapted layer's train/eval mode, as PEFT's lora_dropout follows its model's.</para>
/// </remarks>
public sealed class LoraAdapter : IDisposable
{
    private readonly Action _removeHook;

    /// <summary>The module path of the adapted layer (e.g. transformer.h.0.attn.c_attn).</summary>
    public string Path { get; }
    public Linear Layer { get; }
    public Parameter A { get; }
    public Parameter B { get; }
    public double Scaling { get; }
    public double Dropout { get; }
    /// <summary>Whether (alpha / r) B A is folded into the layer's weight; the hook then adds nothing.</summary>
    public bool Merged { get; private set; }

    public LoraAdapter(string path, Linear layer, LoraConfig config)
    {
        var weight = layer.weight!;
        (Path, Layer, Scaling, Dropout) = (path, layer, config.Scaling, config.Dropout);
        A = new Parameter(empty([config.Rank, weight.size(1)], dtype: weight.dtype, device: weight.device));
        B = new Parameter(zeros([weight.size(0), config.Rank], dtype: weight.dtype, device: weight.device));
        nn.init.kaiming_uniform_(A, a: Math.Sqrt(5));
        _removeHook = layer.register_forward_hook((_, input, output) => Merged ? output : output + Update(input)).remove;
    }

    /// <summary>(alpha / r) B A dropout(x): what the adapter adds to the layer's output.</summary>
    public Tensor Update(Tensor x) =>
        nn.functional.linear(nn.functional.linear(nn.functional.dropout(x, Dropout, Layer.training), A), B) * Scaling;

    /// <summary>(alpha / r) B A, the (out × in) change of the layer's weight.</summary>
    public Tensor Delta() => B.matmul(A).mul_(Scaling);

    /// <summary>W ← W + (alpha / r) B A: the layer alone now computes the adapted output, with no extra matmuls.</summary>
    public void Merge()
    {
        if (Merged) return;
        using (no_grad()) using (var delta = Delta()) Layer.weight!.add_(delta);
        Merged = true;
    }

    /// <summary>W ← W − (alpha / r) B A, the inverse of <see cref="Merge"/> (exact up to fp32 rounding).</summary>
    public void Unmerge()
    {
        if (!Merged) return;
        using (no_grad()) using (var delta = Delta()) Layer.weight!.sub_(delta);
        Merged = false;
    }

    /// <summary>Removes the hook (the layer computes W x again) and frees A and B. A merged update stays in the weight.</summary>
    public void Dispose()
    {
        _removeHook();
        A.Dispose();
        B.Dispose();
    }
}
