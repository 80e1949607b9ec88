using Course.Models;
using Course.Shipping.Export;
using static TorchSharp.torch;

namespace Course.Tests.Shipping;

/// <summary>A small GPT with weights large enough that its logits differ visibly between tokens, and its exports.</summary>
internal static class OnnxFixtures
{
    public static readonly GptConfig Config = Course.Preset.Named("tiny").Model;

    public static Gpt Model(long seed = 5, GptConfig? config = null)
    {
        manual_seed(seed);
        var model = new Gpt(config ?? Config);
        using (no_grad())
            foreach (var p in model.parameters()) p.normal_(0, 0.3);
        model.eval();
        return model;
    }

    public static Dictionary<string, Tensor> Weights(Gpt model) => model.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);

    public static string Export(Gpt model, OnnxExportOptions options, string directory)
    {
        var path = Path.Combine(directory, $"gpt{(options.KvCache ? "-kv" : "")}{(options.Int8Weights ? "-int8" : "")}.onnx");
        OnnxExport.Write(GptOnnx.Build(model.Config, Weights(model), options), path);
        return path;
    }
}
