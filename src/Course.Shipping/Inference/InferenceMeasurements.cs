using System.Diagnostics;
using System.IO.Compression;
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Course.Shipping.Inference;

/// <summary>The three numbers a compression table reports for a model: validation loss, generation speed, size.</summary>
public static class InferenceMeasurements
{
    /// <summary>Mean cross-entropy of an ONNX model over <paramref name="batches"/> batches (x, y), each (B, T): the same
    /// number <see cref="Evaluation.Evaluator.MeanLoss"/> gives for a TorchSharp model.</summary>
    public static double MeanLoss(OnnxGpt model, Func<int, (Tensor X, Tensor Y)> nextBatch, int batches)
    {
        double sum = 0;
        for (int i = 0; i < batches; i++)
        {
            using var scope = NewDisposeScope();
            var (x, y) = nextBatch(i);
            var (b, t) = ((int)x.size(0), (int)x.size(1));
            var logits = tensor(model.Logits(x.cpu().data<long>().ToArray(), b, t), [b * t, model.Config.VocabSize]);
            sum += nn.functional.cross_entropy(logits, y.cpu().reshape(-1)).item<float>();
        }
        return sum / batches;
    }

    /// <summary>Tokens per second of <paramref name="generate"/>, which produces <paramref name="tokens"/> tokens; one short
    /// untimed run first, so that loading and first-call costs are not counted.</summary>
    public static double TokensPerSecond(Action<int> generate, int tokens)
    {
        generate(Math.Min(tokens, 8));
        var clock = Stopwatch.StartNew();
        generate(tokens);
        return tokens / clock.Elapsed.TotalSeconds;
    }

    /// <summary>Bytes of the fp32 values of <paramref name="tensors"/> after gzip: zeros left by pruning only save space
    /// once something compresses or indexes them.</summary>
    public static long GzipBytes(IEnumerable<Tensor> tensors)
    {
        using var sink = new MemoryStream();
        using (var gzip = new GZipStream(sink, CompressionLevel.Optimal, leaveOpen: true))
            foreach (var t in tensors)
            {
                using var cpu = t.detach().to(ScalarType.Float32).cpu().contiguous();
                gzip.Write(MemoryMarshal.AsBytes(cpu.data<float>().ToArray().AsSpan()));
            }
        return sink.Length;
    }
}
