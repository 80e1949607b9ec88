using System.Text.Json;
using System.Text.Json.Serialization;
using Course.Data;

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

    /// <summary>The entries of a run's metrics.jsonl. A last line cut short (the process was killed while writing it)
    /// is skipped with a warning through <paramref name="warn"/> (default: standard error); a damaged line before it
    /// is an error.</summary>
    public static IReadOnlyList<JsonElement> Read(string runDirectory, Action<string>? warn = null)
    {
        var path = Path.Combine(runDirectory, FileName);
        var lines = File.ReadAllLines(path);
        var entries = new List<JsonElement>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Length == 0) continue;
            try { entries.Add(JsonDocument.Parse(lines[i]).RootElement); }
            catch (JsonException) when (lines.Skip(i + 1).All(l => l.Length == 0))
            {
                (warn ?? (m => Console.Error.WriteLine($"warning: {m}")))($"{path}: skipped its last line, which was cut short (the run was stopped while writing it).");
            }
            catch (JsonException e)
            {
                throw new UserError($"{path} line {i + 1} is damaged ({e.Message}); only a cut-short last line can be skipped. Remove or repair that line.");
            }
        }
        return entries;
    }

    /// <summary>Rewrites metrics.jsonl (atomically) without what a resumed run will write again: steps after
    /// <paramref name="step"/>, evaluations at or after it, and a cut-short last line.</summary>
    public static void KeepUpTo(string runDirectory, int step)
    {
        var path = Path.Combine(runDirectory, FileName);
        if (!File.Exists(path)) return;
        var kept = Read(runDirectory, _ => { }).Where(e => e.GetProperty("kind").GetString() == "eval" ? e.GetProperty("step").GetInt32() < step : e.GetProperty("step").GetInt32() <= step);
        AtomicFile.WriteBytes(path, System.Text.Encoding.UTF8.GetBytes(string.Concat(kept.Select(e => e.GetRawText() + "\n"))));
    }

    public void Dispose() => _writer.Dispose();
}
