using Course.Data;
using Course.Evaluation;

namespace Course.Shipping.Serving;

/// <summary>What the completion server needs from a model: its tokenizer, its context length, and a way to continue a
/// prompt token by token. TorchSharp (<see cref="TorchCompletionModel"/>) and ONNX Runtime (<see cref="OnnxCompletionModel"/>) provide one.</summary>
public interface ICompletionModel : IDisposable
{
    /// <summary>The name /health and the responses report (the checkpoint or model file).</summary>
    string Name { get; }

    /// <summary>"torchsharp" or "onnxruntime".</summary>
    string Backend { get; }

    ITokenizer Tokenizer { get; }

    /// <summary>The longest prompt, in tokens, that the model sees whole.</summary>
    int BlockSize { get; }

    /// <summary>Yields up to <paramref name="maxNewTokens"/> tokens after <paramref name="prompt"/>, each as soon as it is chosen;
    /// one seed gives the same tokens every time.</summary>
    IEnumerable<int> Continue(IReadOnlyList<int> prompt, int maxNewTokens, NextTokenSampler sampler, ulong seed);
}
