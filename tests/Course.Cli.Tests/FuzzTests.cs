using System.Diagnostics;
using Xunit.Abstractions;

namespace Course.Cli.Tests;

/// <summary>
/// A bounded random mix of bad arguments for every command, run as real processes: each must end with exit code 1
/// and exactly one line, "error: ...", without a stack trace or a .NET type name. The draws are seeded, so a failure
/// names a command line that reproduces it.
/// </summary>
public class FuzzTests(ITestOutputHelper log)
{
    private const int Cases = 40;

    private static readonly string[] BadIntegers = ["0", "-1", "abc", "1.5", "99999999999", ""];
    private static readonly string[] BadNumbers = ["NaN", "Infinity", "-Infinity", "-1", "0", "abc", "1e400", ""];
    private static readonly string[] BadPaths = ["/nonexistent/x", "/dev/null/x", ""];

    /// <summary>Per command: options that are always wrong with any of their bad values, and the required options
    /// (given bad values too, so that no case does real work).</summary>
    private static readonly (string[] Command, (string Option, string[] Values)[] Bad)[] Commands =
    [
        (["pretrain"], [("--steps", BadIntegers), ("--batch-size", BadIntegers), ("--lr", BadNumbers), ("--eval-interval", BadIntegers), ("--eval-batches", BadIntegers),
            ("--save-interval", BadIntegers), ("--preset", ["huge", ""]), ("--precision", ["fp8", ""]), ("--device", ["tpu"]), ("--shards", BadPaths), ("--corpus", BadPaths[..2])]),
        (["sample", "--checkpoint", "/nonexistent/ckpt"], [("--tokens", ["-1", "2000000000", "abc"]), ("--temperature", BadNumbers[..6]), ("--top-k", ["0", "-3"]), ("--top-p", ["0", "2", "NaN"])]),
        (["evaluate", "--checkpoint", "/nonexistent/ckpt"], [("--batches", BadIntegers), ("--device", ["gpu"])]),
        (["evaluate-classifier", "--checkpoint", "/nonexistent/run"], [("--split", ["dev", ""])]),
        (["finetune", "--checkpoint", "/nonexistent/ckpt"], [("--steps", BadIntegers), ("--lr", BadNumbers), ("--batch-size", BadIntegers), ("--task", ["sentiment"]),
            ("--class-weights", ["inverse"]), ("--pooling", ["Max"]), ("--grad-accum", BadIntegers), ("--precision", ["fp8", ""]), ("--lora-rank", ["0", "-1", "abc"]),
            ("--lora-dropout", ["1", "NaN", "abc"]), ("--lora-targets", ["qkv", ""])]),
        (["finetune", "--resume"], [("--out", BadPaths[..2])]),
        (["sft", "--checkpoint", "/nonexistent/ckpt"], [("--steps", BadIntegers), ("--batch-size", BadIntegers), ("--grad-accum", BadIntegers), ("--lr", BadNumbers),
            ("--precision", ["fp8", ""]), ("--eval-examples", ["-1", "abc"]), ("--device", ["tpu"])]),
        (["sweep"], [("--grid", ["lr=", "foo=1", "lr=abc", "block_size=100000", "", "lr=1e-4..1e-2"]), ("--steps", BadIntegers), ("--budget", ["0", "-2"]), ("--preset", ["huge"])]),
        (["sweep", "--grid", "lr=1e-3,3e-3"], [("--executor", ["pbs", ""]), ("--cpus-per-trial", ["0", "-1"]), ("--max-running", ["0"]), ("--time", ["1 day"]), ("--gpus-per-trial", ["-1"])]),
        (["sweep", "status"], [("/nonexistent/sweep", [])]),
        (["sweep", "--bayes", "3"], [("--space", ["lr=1..0", "lr=0..1:log", "lr=1e-4..1e-2:cubic", "n_layer=1.2..1.8:int", "lr=1..2..3", "n_embd=8..4096:int"]), ("--random", ["2"]), ("--bayes", ["0", "-1"])]),
        (["vision", "train"], [("--dataset", ["mnist", ""]), ("--preset", ["huge"]), ("--padding", ["full"]), ("--steps", BadIntegers), ("--batch-size", BadIntegers),
            ("--lr", BadNumbers), ("--device", ["tpu"])]),
        (["runs", "compare"], [("/nonexistent/run", [])]),
        (["runs", "best"], [("/nonexistent/run", []), ("--metric", ["", "f1"])]),
        (["data", "prepare", "--out", "/dev/null/shards"], [("--tokenizer", ["bpe:12", "wordpiece", ""]), ("--corpus", BadPaths[..2])]),
        (["notebooks", "run"], [("/nonexistent/a.ipynb", []), ("--timeout", BadNumbers)]),
        (["notebooks", "export"], [("/nonexistent/a.ipynb", [])]),
        (["check"], [("/nonexistent/a.ipynb", []), ("99", []), ("four", []), ("-1", [])]),
        (["bench"], [("--workload", ["huge"]), ("--steps", ["0", "-1", "abc"]), ("--precision", ["fp8"])]),
        (["export", "--checkpoint", "/nonexistent/ckpt"], [("--format", ["tflite", ""]), ("--out", ["/dev/null/x", ""]), ("--kv-cache", ["maybe"])]),
        (["serve", "--checkpoint", "/nonexistent/ckpt"], [("--port", ["-1", "65536", "abc"]), ("--max-concurrent", ["0", "-1"]), ("--max-tokens", ["0", "abc"]),
            ("--host", ["example.com", ""]), ("--onnx", ["/nonexistent/model.onnx"])]),
        (["serve", "--onnx"], [("/nonexistent/model.onnx", []), ("/dev/null", []), ("", [])]),
        (["compress", "--checkpoint", "/nonexistent/ckpt", "--out", "/dev/null/x"], [("--sparsity", ["1", "-0.5", "NaN", "abc"]), ("--student-layers", ["0", "-1"]),
            ("--student-steps", BadIntegers), ("--tokens", BadIntegers), ("--batches", BadIntegers)]),
        (["kernel", "uninstall", "--prefix", "/nonexistent/prefix"], [("--name", ["../escape", "no-such-kernel"])]),
        ([], [("--no-such-option", []), ("no-such-command", [])]),
    ];

    [Fact]
    public void Bad_arguments_of_every_command_exit_1_with_one_line_and_no_stack_trace()
    {
        var random = new Random(2026);
        var clock = Stopwatch.StartNew();
        var failures = new List<string>();
        var cases = Commands.Select(c => Draw(c, random)).Concat(Enumerable.Range(0, Cases - Commands.Length).Select(_ => Draw(Commands[random.Next(Commands.Length)], random)));
        foreach (var arguments in cases)
        {
            var (exitCode, output) = CourseProcess.Run(arguments);
            var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            if (exitCode != 1 || lines.Length != 1 || !lines[0].StartsWith("error: ") || output.Contains("   at ") || output.Contains("System."))
                failures.Add($"course {string.Join(' ', arguments.Select(a => a.Length == 0 || a.Contains(' ') ? $"\"{a}\"" : a))} → exit {exitCode}:\n{output}");
        }
        log.WriteLine($"{Cases} bad command lines in {clock.Elapsed.TotalSeconds:F0} s, {failures.Count} failed.");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>The command with one or two of its bad options (a bad value each), in random order.</summary>
    private static string[] Draw((string[] Command, (string Option, string[] Values)[] Bad) spec, Random random)
    {
        var picks = spec.Bad.OrderBy(_ => random.Next()).Take(random.Next(1, 3));
        return [.. spec.Command, .. picks.SelectMany(p => p.Values.Length == 0 ? [p.Option] : new[] { p.Option, p.Values[random.Next(p.Values.Length)] })];
    }
}
