using Course.Models;
using Onnx;
using static Onnx.TensorProto.Types;
using static TorchSharp.torch;

namespace Course.Shipping.Export;

/// <summary>What to write: the plain graph, or one with a KV cache; fp32 weights or int8 per channel.</summary>
public sealed record OnnxExportOptions(bool KvCache = false, bool Int8Weights = false);

/// <summary>
/// The course's GPT (Models/Gpt.cs) as an ONNX graph, opset 17: input_ids (batch, sequence) int64 → logits
/// (batch, sequence, vocab) float, both axes dynamic. The weights are read by their checkpoint (PyTorch) names, so
/// this needs a checkpoint's tensors and config, not the TorchSharp module. With a KV cache the graph also takes
/// past_key_i / past_value_i (batch, n_head, past_sequence, head_size) for each block i and returns present_key_i /
/// present_value_i with this step's keys and values appended; a prompt starts with past_sequence = 0.
/// </summary>
public static class GptOnnx
{
    public const string InputIds = "input_ids", Logits = "logits";

    public static string PastKey(int layer) => $"past_key_{layer}";
    public static string PastValue(int layer) => $"past_value_{layer}";
    public static string PresentKey(int layer) => $"present_key_{layer}";
    public static string PresentValue(int layer) => $"present_value_{layer}";

    public static ModelProto Build(GptConfig config, IReadOnlyDictionary<string, Tensor> weights, OnnxExportOptions options)
    {
        var g = new OnnxGraph("gpt");
        var w = new OnnxWeights(g, weights, options.Int8Weights);
        var layers = new OnnxLayers(g, w);
        var headSize = config.NEmbd / config.NHead;

        var ids = g.Input(InputIds, DataType.Int64, "batch", "sequence");
        var pastKeys = new string?[config.NLayer];
        var pastValues = new string?[config.NLayer];
        if (options.KvCache)
            for (int i = 0; i < config.NLayer; i++)
            {
                pastKeys[i] = g.Input(PastKey(i), DataType.Float, "batch", config.NHead, "past_sequence", headSize);
                pastValues[i] = g.Input(PastValue(i), DataType.Float, "batch", config.NHead, "past_sequence", headSize);
            }

        // Positions past … past+T−1 pick their rows of wpe; past is 0 without a cache.
        var length = g.Shape(ids, 1, 2);
        var past = options.KvCache ? g.Shape(pastKeys[0]!, 2, 3) : g.Int64s("no_past", 0);
        var total = g.Add(past, length);
        var positions = g.Node("Slice", [w.Rows("transformer.wpe.weight"), past, total, g.Int64s("axis_0", 0)]);
        var wte = w.Rows("transformer.wte.weight");
        var x = g.Add(g.Gather(wte, ids), positions);
        var mask = layers.CausalMask(length, past, total);

        for (int i = 0; i < config.NLayer; i++)
        {
            var block = $"transformer.h.{i}";
            var (attention, keys, values) = layers.CausalSelfAttention(layers.LayerNorm(x, block + ".ln_1"), block + ".attn",
                config.NHead, config.NEmbd, mask, pastKeys[i], pastValues[i]);
            x = g.Add(x, attention);
            var hidden = layers.GeluTanh(layers.Linear(layers.LayerNorm(x, block + ".ln_2"), block + ".mlp.c_fc"));
            x = g.Add(x, layers.Linear(hidden, block + ".mlp.c_proj"));
            if (options.KvCache)
            {
                g.Output(keys, PresentKey(i), DataType.Float, "batch", config.NHead, "total_sequence", headSize);
                g.Output(values, PresentValue(i), DataType.Float, "batch", config.NHead, "total_sequence", headSize);
            }
        }

        // The output layer is the token embedding, transposed (weight tying).
        var logits = g.MatMul(layers.LayerNorm(x, "transformer.ln_f"), g.Transpose(wte, 1, 0));
        g.Output(logits, Logits, DataType.Float, "batch", "sequence", config.VocabSize);
        return g.ToModel("course", new Dictionary<string, string>
        {
            ["model"] = "gpt",
            ["config"] = System.Text.Json.JsonSerializer.Serialize(config),
            ["kv_cache"] = options.KvCache ? "true" : "false",
            ["weights"] = options.Int8Weights ? "int8-per-channel" : "fp32",
        });
    }
}
