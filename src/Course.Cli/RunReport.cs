using System.Text.Json;
using Course.Data;
using Course.Evaluation;
using Course.Training;
using Course.Visualization;
using Spectre.Console;
using TorchSharp;
using static TorchSharp.torch;

namespace Course.Cli;

/// <summary>What `course pretrain` prints and writes at the end: a generated sample, a summary table, and the
/// loss chart (loss.html, loss.svg) and summary (summary.json) in the run folder.</summary>
public static class RunReport
{
    public static void Print(Trainer trainer, CorpusFacts corpus, ITokenizer tokenizer, string runDirectory)
    {
        var console = AnsiConsole.Console;
        var metrics = MetricsLog.Read(runDirectory).ToList();
        var (chartPath, evals) = SaveLossChart(metrics, runDirectory, $"Pretraining {trainer.Model.Config.NLayer}×{trainer.Model.Config.NEmbd} on {corpus.Name}");

        var sample = Sample(trainer, tokenizer);
        console.Write(new Panel(Markup.Escape(sample)).Header("sample (temperature 0.8, top-k 40)"));

        var unigram = corpus.UnigramBitsPerCharacter;
        var tokensPerChar = trainer.Data.TokensPerCharacter(corpus.Characters);
        var last = evals.Count > 0 ? evals[^1] : default;
        var best = trainer.BestValidationLoss ?? double.NaN;
        var elapsed = metrics.Where(m => m.GetProperty("kind").GetString() == "step").Select(m => m.GetProperty("elapsed_seconds").GetDouble()).DefaultIfEmpty(0).Last();
        var table = new Table().AddColumns("", "value");
        table.AddRow("steps", $"{trainer.Step}");
        table.AddRow("parameters", $"{trainer.Model.ParameterCount():N0}");
        table.AddRow("training time (this process)", $"{TimeSpan.FromSeconds(elapsed):hh\\:mm\\:ss}");
        table.AddRow("final train / val loss (nats/token)", $"{last.Item2:F4} / {last.Item3:F4}");
        table.AddRow("best val loss", $"{best:F4} (perplexity {Evaluator.Perplexity(best):F2})");
        table.AddRow("best val bits per character", $"{Evaluator.BitsPerCharacter(best, tokensPerChar):F3}");
        table.AddRow("unigram baseline bits per character", $"{unigram:F3}");
        table.AddRow("loss chart", Markup.Escape($"{chartPath} (and loss.svg)"));
        table.AddRow("checkpoints", Markup.Escape(Path.Combine(runDirectory, "checkpoints")));
        console.Write(table);

        var summary = new
        {
            steps = trainer.Step, parameters = trainer.Model.ParameterCount(), training_seconds = elapsed,
            final_train_loss = last.Item2, final_val_loss = last.Item3, best_val_loss = best,
            best_val_bits_per_char = Evaluator.BitsPerCharacter(best, tokensPerChar), unigram_bits_per_char = unigram,
            corpus = corpus.Name, corpus_sha256 = corpus.Sha256, corpus_bytes = corpus.Bytes, tokenizer = tokenizer.Kind, sample,
        };
        File.WriteAllText(Path.Combine(runDirectory, "summary.json"), System.Text.Json.JsonSerializer.Serialize(summary, new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>Writes the loss chart of a run's metrics (loss.html and loss.svg in the run folder); returns its path and the evaluations.</summary>
    public static (string Path, List<(int Step, double Train, double Validation)> Evals) SaveLossChart(IReadOnlyList<JsonElement> metrics, string runDirectory, string title)
    {
        var steps = metrics.Where(m => m.GetProperty("kind").GetString() == "step")
            .Select(m => (m.GetProperty("step").GetInt32(), m.GetProperty("loss").GetDouble())).ToList();
        var evals = metrics.Where(m => m.GetProperty("kind").GetString() == "eval")
            .Select(m => (m.GetProperty("step").GetInt32(), m.GetProperty("train_loss").GetDouble(), m.GetProperty("validation_loss").GetDouble())).ToList();
        var chartPath = Path.Combine(runDirectory, "loss.html");
        ChartFiles.Save(Charts.LossCurves(steps, evals, title), chartPath);
        return (chartPath, evals);
    }

    /// <summary>Continues a newline (or the first validation token) for 400 tokens.</summary>
    private static string Sample(Trainer trainer, ITokenizer tokenizer)
    {
        using var scope = NewDisposeScope();
        var start = CanEncode(tokenizer, "\n") ? tokenizer.Encode("\n") : [trainer.Data.FirstValidationToken];
        var prompt = tensor(start.Select(i => (long)i).ToArray(), device: trainer.Model.parameters().First().device).unsqueeze(0);
        using var generator = new Generator(1234);
        var ids = trainer.Model.Generate(prompt, 400, new NextTokenSampler(Temperature: 0.8, TopK: 40), generator);
        return tokenizer.Decode(ids[0].cpu().data<long>().ToArray().Select(i => (int)i)).Trim();
    }

    private static bool CanEncode(ITokenizer tokenizer, string text)
    {
        try { return tokenizer.Encode(text).Length > 0; }
        catch (ArgumentException) { return false; }
    }
}
