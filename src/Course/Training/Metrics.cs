using System.Text.Json;
using System.Text.Json.Serialization;

namespace Course.Training;

/// <summary>One optimizer step: mean training loss over its micro-batches, learning rate, global gradient norm
/// before clipping, throughput (and MFU when the peak is known) and wall time since training (re)started.</summary>
public sealed record StepMetrics(int Step, double Loss, double LearningRate, double GradNorm, double TokensPerSecond, double? Mfu, double ElapsedSeconds)
{
    public string Kind => "step";
}

/// <summary>An evaluation: mean loss over the evaluation batches of each split, before the step of that number.</summary>
public sealed record EvalMetrics(int Step, double TrainLoss, double ValidationLoss, bool Best, double ElapsedSeconds)
{
    public string Kind => "eval";
    public double ValidationPerplexity => Math.Exp(ValidationLoss);
}

/// <summary>Appends metrics as JSON lines (one object per line, snake_case) to a run's metrics.jsonl.</summary>
public sealed class MetricsLog : IDisposable
{
    public const string FileName = "metrics.jsonl";
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };
    private readonly StreamWriter _writer;

    public MetricsLog(string runDirectory)
    {
        Directory.CreateDirectory(runDirectory);
        _writer = new StreamWriter(Path.Combine(runDirectory, FileName), append: true) { AutoFlush = true };
    }

    public void Write(object metrics) => _writer.WriteLine(JsonSerializer.Serialize(metrics, metrics.GetType(), Json));

    public static IEnumerable<JsonElement> Read(string runDirectory) =>
        File.ReadLines(Path.Combine(runDirectory, FileName)).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement);

    public void Dispose() => _writer.Dispose();
}
