using System.Text.Json;
using Course.Models;
using Course.Shipping.Export;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Course.Shipping.Inference;

/// <summary>
/// A GPT exported by <see cref="GptOnnx"/>, run by ONNX Runtime on the CPU. Reads its configuration from the model's
/// metadata; with a KV cache in the graph, generation feeds one new token per step and reuses the keys and values
/// of the tokens before it.
/// </summary>
public sealed class OnnxGpt : IDisposable
{
    private readonly InferenceSession _session;

    public GptConfig Config { get; }
    public bool HasKvCache { get; }

    /// <param name="int8Activations">For int8 weights ONNX Runtime fuses DequantizeLinear + MatMul into its MatMulNBits
    /// kernel, which by default also rounds the activations to int8 (accuracy level 4): faster, less exact. False keeps
    /// the activations fp32 (level 0), computing exactly what the dequantised weights give.</param>
    public OnnxGpt(string path, bool int8Activations = true)
    {
        if (!File.Exists(path)) throw new UserError($"No ONNX model at '{path}': export one with `course export --checkpoint DIR --format onnx`.");
        using var options = new SessionOptions();
        options.AddSessionConfigEntry("session.qdq_matmulnbits_accuracy_level", int8Activations ? "4" : "0");
        try { _session = new InferenceSession(path, options); }
        catch (OnnxRuntimeException e) { throw new UserError($"{path} is not an ONNX model ONNX Runtime can load ({e.Message.Split('\n')[0]}); export the checkpoint again.", e); }
        var metadata = _session.ModelMetadata.CustomMetadataMap;
        if (!metadata.TryGetValue("config", out var config) || metadata.GetValueOrDefault("model") != "gpt")
        {
            _session.Dispose();
            throw new UserError($"{path} was not written by `course export` (its metadata names no GPT config); export the checkpoint again.");
        }
        Config = JsonSerializer.Deserialize<GptConfig>(config)!;
        HasKvCache = _session.InputNames.Contains(GptOnnx.PastKey(0));
    }

    /// <summary>Logits (batch, length, vocab), row-major, for <paramref name="ids"/> (batch, length), row-major; no cache.</summary>
    public float[] Logits(long[] ids, int batch, int length)
    {
        if (batch * length != ids.Length) throw new ArgumentException($"{ids.Length} ids do not make {batch} rows of {length}.");
        using var input = OrtValue.CreateTensorValueFromMemory(ids, [batch, length]);
        var inputs = new Dictionary<string, OrtValue> { [GptOnnx.InputIds] = input };
        var empty = new List<OrtValue>();
        try
        {
            if (HasKvCache)
                for (int i = 0; i < Config.NLayer; i++)
                {
                    inputs[GptOnnx.PastKey(i)] = EmptyCache(batch, empty);
                    inputs[GptOnnx.PastValue(i)] = EmptyCache(batch, empty);
                }
            using var outputs = _session.Run(new RunOptions(), inputs, [GptOnnx.Logits]);
            return outputs[0].GetTensorDataAsSpan<float>().ToArray();
        }
        finally
        {
            foreach (var value in empty) value.Dispose();
        }
    }

    /// <summary>
    /// Continues <paramref name="prompt"/> one token at a time, yielding each as it is chosen; <paramref name="next"/>
    /// picks a token from the last position's logits. The context is cropped to the last BlockSize tokens as
    /// <see cref="Gpt.Generate"/> crops it; a cache that would grow past the block is dropped and rebuilt from the crop.
    /// </summary>
    public IEnumerable<int> Continue(IReadOnlyList<int> prompt, int maxNewTokens, Func<float[], int> next)
    {
        if (prompt.Count == 0) throw new ArgumentException("The prompt needs at least one token.");
        var tokens = prompt.ToList();
        var cache = new List<OrtValue>();
        try
        {
            for (int step = 0; step < maxNewTokens; step++)
            {
                float[] last;
                var cached = cache.Count > 0 ? (int)cache[0].GetTensorTypeAndShape().Shape[2] : 0;
                if (HasKvCache && cached > 0 && cached < Config.BlockSize)
                    (last, cache) = Step([tokens[^1]], cache);
                else
                {
                    Dispose(cache);
                    var window = tokens.Skip(Math.Max(0, tokens.Count - Config.BlockSize)).ToArray();
                    (last, cache) = Step(window, cache);
                }
                var token = next(last);
                tokens.Add(token);
                yield return token;
            }
        }
        finally
        {
            Dispose(cache);
        }
    }

    /// <summary>Runs <paramref name="ids"/> (one row) after the cached tokens (which it disposes); returns the last
    /// position's logits and the new cache.</summary>
    private (float[] Last, List<OrtValue> Cache) Step(IReadOnlyList<int> ids, List<OrtValue> cache)
    {
        using var input = OrtValue.CreateTensorValueFromMemory(ids.Select(i => (long)i).ToArray(), [1, ids.Count]);
        var inputs = new Dictionary<string, OrtValue> { [GptOnnx.InputIds] = input };
        var empty = new List<OrtValue>();
        var outputNames = new List<string> { GptOnnx.Logits };
        if (HasKvCache)
            for (int i = 0; i < Config.NLayer; i++)
            {
                inputs[GptOnnx.PastKey(i)] = cache.Count > 0 ? cache[2 * i] : EmptyCache(1, empty);
                inputs[GptOnnx.PastValue(i)] = cache.Count > 0 ? cache[2 * i + 1] : EmptyCache(1, empty);
                outputNames.AddRange([GptOnnx.PresentKey(i), GptOnnx.PresentValue(i)]);
            }
        var outputs = _session.Run(new RunOptions(), inputs, outputNames);
        Dispose(empty);
        Dispose(cache);
        var logits = outputs[0].GetTensorDataAsSpan<float>();
        var vocab = Config.VocabSize;
        var last = logits[^vocab..].ToArray();
        outputs[0].Dispose();
        return (last, outputs.Skip(1).ToList());
    }

    private OrtValue EmptyCache(int batch, List<OrtValue> owned)
    {
        var value = OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, TensorElementType.Float,
            [batch, Config.NHead, 0, Config.NEmbd / Config.NHead]);
        owned.Add(value);
        return value;
    }

    private static void Dispose(List<OrtValue> values)
    {
        foreach (var value in values) value.Dispose();
        values.Clear();
    }

    public void Dispose() => _session.Dispose();
}
