using System.Globalization;
using System.Text.Json;
using Course.Display;
using Microsoft.DotNet.Interactive.Formatting;

namespace Course;

/// <summary>How a learner's answer to one exercise stands.</summary>
public enum ExerciseStatus { NotAttempted, Correct, NotYet }

/// <summary>One exercise's verdict: <see cref="Detail"/> says what is wrong, or what was checked.</summary>
public sealed record ExerciseResult(string Chapter, int Number, string Title, ExerciseStatus Status, string Detail);

/// <summary>
/// The verdicts on a learner's answers to a chapter's exercises, built by that chapter's checker
/// (<c>Exercises.Chapter04.Check(...)</c>), which computes the right answers from the library rather than storing them.
/// An answer left <c>null</c> is not attempted yet, and a wrong one is "not yet": neither stops the notebook, so a
/// chapter runs top to bottom before any exercise is done. Worked solutions call <see cref="RequireAllCorrect"/>.
/// </summary>
[TypeFormatterSource(typeof(ReportFormatters), PreferredMimeTypes = [HtmlFormatter.MimeType, PlainTextFormatter.MimeType])]
public sealed class ExerciseReport(string chapter)
{
    /// <summary>When set, every verdict is also appended to this file as a JSON line: how `course check` reads them
    /// from the notebook's process.</summary>
    public const string ReportFileVariable = "COURSE_EXERCISE_REPORT";

    private readonly List<ExerciseResult> _results = [];

    public string Chapter { get; } = chapter;

    public IReadOnlyList<ExerciseResult> Results => _results;

    /// <summary>A numeric answer, right when within <paramref name="tolerance"/> of <paramref name="expected"/>.</summary>
    public ExerciseReport Number(int number, string title, double? given, double expected, double tolerance = 0) =>
        Add(number, title, given.HasValue, () => Math.Abs(given!.Value - expected) <= tolerance
            ? null
            : $"{Format(given!.Value)} is not it" + (tolerance > 0 ? $" (the check allows ±{Format(tolerance)})" : ""));

    /// <summary>A one-word or short-phrase answer, compared without case and surrounding spaces.</summary>
    public ExerciseReport Word(int number, string title, string? given, params string[] accepted) =>
        Judge(number, title, given, value => accepted.Any(a => string.Equals(a.Trim(), value.Trim(), StringComparison.OrdinalIgnoreCase))
            ? null
            : $"\"{value}\" is not it");

    /// <summary>Any answer (a function, a tensor, a list) judged by <paramref name="verdict"/>, which returns null when it
    /// is right and otherwise says what is wrong.</summary>
    public ExerciseReport Judge<T>(int number, string title, T? given, Func<T, string?> verdict) where T : class =>
        Add(number, title, given is not null, () => verdict(given!));

    private ExerciseReport Add(int number, string title, bool attempted, Func<string?> verdict)
    {
        ExerciseResult result;
        if (!attempted) result = new(Chapter, number, title, ExerciseStatus.NotAttempted, "replace null with your answer");
        else
        {
            string? wrong;
            // The learner's code may throw anything; the verdict says so instead of stopping the notebook.
            try { wrong = verdict(); }
            // libtorch's messages go on with a C++ stack trace; its first line says what is wrong.
            catch (Exception e) when (e is not OutOfMemoryException) { wrong = $"your code threw {e.GetType().Name}: {e.Message.Split('\n')[0]}"; }
            result = new(Chapter, number, title, wrong is null ? ExerciseStatus.Correct : ExerciseStatus.NotYet, wrong ?? "correct");
        }
        _results.Add(result);
        Record(result);
        return this;
    }

    /// <summary>For worked solutions: throws <see cref="ClaimFailedException"/> naming every exercise not answered correctly.</summary>
    public ExerciseReport RequireAllCorrect()
    {
        var wrong = _results.Where(r => r.Status != ExerciseStatus.Correct).ToList();
        Check.That(wrong.Count == 0, "every answer is correct; not: " + string.Join("; ", wrong.Select(r => $"{r.Number} ({r.Detail})")));
        return this;
    }

    public Table ToTable()
    {
        var table = new Table("exercise", "", "verdict");
        foreach (var r in _results)
            table.Row($"{Chapter}.{r.Number} {r.Title}", Symbol(r.Status), r.Detail);
        return table;
    }

    public override string ToString() => ToTable().ToString();

    private static string Symbol(ExerciseStatus status) => status switch
    {
        ExerciseStatus.Correct => "✓",
        ExerciseStatus.NotYet => "✗ not yet",
        _ => "· not attempted",
    };

    private static void Record(ExerciseResult result)
    {
        var file = Environment.GetEnvironmentVariable(ReportFileVariable);
        if (string.IsNullOrEmpty(file)) return;
        File.AppendAllText(file, JsonSerializer.Serialize(result, Json) + "\n");
    }

    /// <summary>The verdicts recorded in <paramref name="file"/> (see <see cref="ReportFileVariable"/>), in order.</summary>
    public static IReadOnlyList<ExerciseResult> ReadRecorded(string file) =>
        File.Exists(file) ? File.ReadLines(file).Where(l => l.Length > 0).Select(l => JsonSerializer.Deserialize<ExerciseResult>(l, Json)!).ToList() : [];

    private static readonly JsonSerializerOptions Json = new() { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    private static string Format(double value) => value.ToString("G6", CultureInfo.InvariantCulture);

    private sealed class ReportFormatters : ITypeFormatterSource
    {
        public IEnumerable<ITypeFormatter> CreateTypeFormatters() =>
        [
            new DelegateFormatter<ExerciseReport>(HtmlFormatter.MimeType, report => report.ToTable().ToHtml()),
            new DelegateFormatter<ExerciseReport>(PlainTextFormatter.MimeType, report => report.ToString()),
        ];
    }
}
