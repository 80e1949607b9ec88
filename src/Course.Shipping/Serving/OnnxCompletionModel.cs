using Course.Data;
using Course.Evaluation;
using Course.Shipping.Inference;
using static TorchSharp.torch;

namespace Course.Shipping.Serving;

/// <summary>A model exported by `course export`, run by ONNX Runtime; the tokenizer is the one exported beside it.
/// Tokens are drawn by the same <see cref="NextTokenSampler"/> as in TorchSharp, so one seed gives the same text.</summary>
public sealed class OnnxCompletionModel(OnnxGpt model, ITokenizer tokenizer, string name) : ICompletionModel
{
    public static OnnxCompletionModel FromFile(string path)
    {
        var model = new OnnxGpt(path);
        try
        {
            return new OnnxCompletionModel(model, TokenizerStore.Load(Path.GetDirectoryName(Path.GetFullPath(path))!), Path.GetFileName(path));
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    public string Name => name;
    public string Backend => "onnxruntime";
    public ITokenizer Tokenizer => tokenizer;
    public int BlockSize => model.Config.BlockSize;

    public IEnumerable<int> Continue(IReadOnlyList<int> prompt, int maxNewTokens, NextTokenSampler sampler, ulong seed)
    {
        using var generator = new Generator(seed);
        foreach (var token in model.Continue(prompt, maxNewTokens, logits =>
        {
            using var scope = NewDisposeScope();
            return (int)sampler.Sample(tensor(logits).unsqueeze(0), generator).item<long>();
        }))
            yield return token;
    }

    public void Dispose() => model.Dispose();
}
