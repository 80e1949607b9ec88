using System.CommandLine;
using Course.Notebooks;
using Spectre.Console;

namespace Course.Cli.Commands;

/// <summary>
/// `course check NN`: runs a learner's copy of chapter NN headlessly (the file itself is left as it is) and reports the
/// verdict on each exercise answered in its exercises cell. Exit code 0 when every exercise is answered correctly.
/// </summary>
public static class CheckCommand
{
    public static Command Create()
    {
        var chapter = new Argument<string>("chapter") { Description = "The chapter's number (04) or the path of your copy of it (.ipynb)." };
        var folder = new Option<string>("--notebooks") { Description = "The folder the chapters are in.", DefaultValueFactory = _ => "notebooks" };
        var command = new Command("check", "Run your copy of a chapter and say which of its exercises you have answered correctly.") { chapter, folder };
        command.SetAction(async (parse, cancellation) =>
        {
            var path = Find(parse.GetValue(chapter)!, parse.GetValue(folder)!);
            var scratch = Directory.CreateTempSubdirectory("course-check-");
            try
            {
                var report = Path.Combine(scratch.FullName, "exercises.jsonl");
                // The notebook runs in a worker process, which inherits this variable and records each verdict there.
                Environment.SetEnvironmentVariable(ExerciseReport.ReportFileVariable, report);
                Lines.Write($"Running {Markup.Escape(path)} (the file is not changed)...");
                var result = await NotebookRunner.RunOneAsync(path, new RunOptions { OutputDirectory = scratch.FullName, AllowErrors = true }, cancellation);
                var verdicts = ExerciseReport.ReadRecorded(report);
                if (result.Failure is not null) Lines.Write($"[yellow]A cell failed:[/] {Markup.Escape(result.Failure.Describe(path))}");
                if (verdicts.Count == 0)
                    throw new UserError($"{path} reported no exercises: its exercises cell (the last code cell, which calls Exercises.ChapterNN.Check) did not run. " +
                        "Fix the error above, or restore the cell from the course's copy of the chapter.");
                var table = new Spectre.Console.Table().AddColumns("exercise", "verdict");
                foreach (var v in verdicts)
                    table.AddRow(Markup.Escape($"{v.Chapter}.{v.Number} {v.Title}"), v.Status switch
                    {
                        ExerciseStatus.Correct => "[green]correct[/]",
                        ExerciseStatus.NotYet => $"[red]not yet:[/] {Markup.Escape(v.Detail)}",
                        _ => "[grey]not attempted[/]",
                    });
                AnsiConsole.Write(table);
                int correct = verdicts.Count(v => v.Status == ExerciseStatus.Correct), open = verdicts.Count(v => v.Status == ExerciseStatus.NotAttempted);
                Lines.Write($"{correct} of {verdicts.Count} correct, {verdicts.Count - correct - open} not yet, {open} not attempted.");
                return correct == verdicts.Count ? 0 : 1;
            }
            finally
            {
                Environment.SetEnvironmentVariable(ExerciseReport.ReportFileVariable, null);
                scratch.Delete(recursive: true);
            }
        });
        return command;
    }

    /// <summary>A path as given, or the one chapter of <paramref name="folder"/> whose name starts with the number.</summary>
    private static string Find(string chapter, string folder)
    {
        if (chapter.EndsWith(".ipynb", StringComparison.OrdinalIgnoreCase))
            return File.Exists(chapter) ? chapter : throw new UserError($"Notebook {chapter} does not exist.");
        if (!int.TryParse(chapter, out var number) || number < 0)
            throw new UserError($"'{chapter}' is neither a chapter number (like 04) nor a notebook (.ipynb).");
        if (!Directory.Exists(folder))
            throw new UserError($"No folder {Path.GetFullPath(folder)}: run `course check` in the course's root folder, or name the folder with --notebooks.");
        var matches = Directory.GetFiles(folder, $"{number:00}-*.ipynb");
        return matches.Length == 1 ? matches[0]
            : throw new UserError($"{folder} has no chapter {number:00}. Its chapters: {string.Join(", ", Directory.GetFiles(folder, "*.ipynb").Select(Path.GetFileName).Order())}.");
    }
}
