using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Course.Data;
using Course.Training;

namespace Course.Experiments;

/// <summary>
/// run.json: the registry entry every training run folder carries beside its metrics.jsonl, so that runs of any
/// command can be listed, compared and ranked without knowing which command made them.
/// </summary>
/// <param name="Schema">The layout of this record; runs are compared only within one schema.</param>
/// <param name="Kind">What made the run: "pretrain", "finetune" or "sweep-trial".</param>
/// <param name="Config">The model configuration (a GptConfig, as JSON).</param>
/// <param name="Options">The training options (TrainingOptions or FineTuneOptions, as JSON).</param>
/// <param name="Corpus">The corpus or task trained on.</param>
/// <param name="Status">"running" while training, then "completed", "interrupted" or "failed".</param>
/// <param name="FinalMetrics">Numbers at the end of the run, e.g. best_val_loss, final_val_loss, test_accuracy.</param>
public sealed record RunRecord(int Schema, string Kind, JsonNode? Config, JsonNode? Options, string Corpus, DateTimeOffset Created, string Status,
    Dictionary<string, double> FinalMetrics)
{
    public const int CurrentSchema = 1;
    public const string FileName = "run.json";
    public const string Running = "running", Completed = "completed", Interrupted = "interrupted", Failed = "failed";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>A new record with status "running", created now.</summary>
    public static RunRecord Start(string kind, object config, object options, string corpus) =>
        new(CurrentSchema, kind, JsonSerializer.SerializeToNode(config, config.GetType(), Json), JsonSerializer.SerializeToNode(options, options.GetType(), Json),
            corpus, DateTimeOffset.UtcNow, Running, []);

    /// <summary>This record finished with <paramref name="status"/> and <paramref name="metrics"/>.</summary>
    public RunRecord Finish(string status, IReadOnlyDictionary<string, double> metrics) => this with { Status = status, FinalMetrics = new(metrics) };

    /// <summary>Writes run.json into <paramref name="runDirectory"/>, atomically (a reader never sees half a record).</summary>
    public void Save(string runDirectory) => AtomicFile.WriteBytes(Path.Combine(runDirectory, FileName), JsonSerializer.SerializeToUtf8Bytes(this, Json));

    /// <summary>The record of a run folder; a clear <see cref="UserError"/> when there is none or it is damaged.</summary>
    public static RunRecord Load(string runDirectory)
    {
        var path = Path.Combine(runDirectory, FileName);
        if (!Directory.Exists(runDirectory)) throw new UserError($"No run folder at {runDirectory}.");
        if (!File.Exists(path))
            throw new UserError($"{runDirectory} has no {FileName}: it is not a run folder, or it was made before runs recorded one. Give the --out folder of a pretrain, finetune or sweep trial.");
        try { return JsonSerializer.Deserialize<RunRecord>(File.ReadAllText(path), Json) ?? throw new JsonException("empty"); }
        catch (JsonException e) { throw new UserError($"{path} is damaged ({e.Message}); the run cannot be read."); }
    }

    /// <summary>True when the folder has a run.json that says the run completed.</summary>
    public static bool IsCompleted(string runDirectory)
    {
        try { return File.Exists(Path.Combine(runDirectory, FileName)) && Load(runDirectory).Status == Completed; }
        catch (UserError) { return false; }
    }

    /// <summary>The final numbers a pretraining run's metrics.jsonl gives: best, final validation and final train loss
    /// (from the evaluations) and the training time (from the last step).</summary>
    public static Dictionary<string, double> LossMetrics(string runDirectory)
    {
        var lines = MetricsLog.Read(runDirectory).ToList();
        var evals = lines.Where(m => m.GetProperty("kind").GetString() == "eval").ToList();
        var steps = lines.Where(m => m.GetProperty("kind").GetString() == "step").ToList();
        var metrics = new Dictionary<string, double>();
        if (evals.Count > 0)
        {
            metrics["best_val_loss"] = evals.Min(e => e.GetProperty("validation_loss").GetDouble());
            metrics["final_val_loss"] = evals[^1].GetProperty("validation_loss").GetDouble();
            metrics["final_train_loss"] = evals[^1].GetProperty("train_loss").GetDouble();
        }
        if (steps.Count > 0)
        {
            metrics["steps"] = steps[^1].GetProperty("step").GetInt32();
            metrics["training_seconds"] = steps[^1].GetProperty("elapsed_seconds").GetDouble();
        }
        return metrics;
    }
}
