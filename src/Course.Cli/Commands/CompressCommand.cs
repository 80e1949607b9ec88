using System.CommandLine;
using System.Text;
using Course.Data;
using Table = Course.Display.Table;
using Course.Evaluation;
using Course.Models;
using Course.Shipping.Compression;
using Course.Shipping.Export;
using Course.Shipping.Inference;
using Course.Training;
using Course.Visualization;
using Spectre.Console;
using static TorchSharp.torch;

namespace Course.Cli.Commands;

/// <summary>
/// `course compress`: measures a checkpoint and its smaller versions side by side on the CPU (file size, greedy
/// tokens/s, validation loss): TorchSharp against ONNX Runtime, int8 weights, magnitude pruning at several sparsities,
/// and a distilled student against the same student trained alone. Writes the tables as Markdown and the pruning curve.
/// </summary>
public static class CompressCommand
{
    public static Command Create()
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "The trained model (the teacher), e.g. runs/NAME/checkpoints/best.", Required = true };
        var output = new Option<string>("--out") { Description = "Folder for compression.md, the exported models and the pruning chart.", Required = true };
        var sparsities = new Option<double[]>("--sparsity") { Description = "Sparsities to prune to.", DefaultValueFactory = _ => [0.25, 0.5, 0.75, 0.9], AllowMultipleArgumentsPerToken = true };
        var studentLayers = new Option<int?>("--student-layers") { Description = "Student blocks (default: half the teacher's)." };
        var studentWidth = new Option<int?>("--student-embd") { Description = "Student width (default: half the teacher's)." };
        var studentSteps = new Option<int>("--student-steps") { Description = "Training steps for each student.", DefaultValueFactory = _ => 400 };
        var tokens = new Option<int>("--tokens") { Description = "Tokens generated for each speed measurement.", DefaultValueFactory = _ => 256 };
        var batches = new Option<int>("--batches") { Description = "Validation batches for each loss.", DefaultValueFactory = _ => 20 };
        var command = new Command("compress", "Measure ONNX Runtime, int8 quantisation, pruning and distillation against the original model (CPU).")
        {
            checkpoint, output, sparsities, studentLayers, studentWidth, studentSteps, tokens, batches,
        };
        command.SetAction(parse =>
        {
            var source = parse.GetValue(checkpoint)!;
            var (count, newTokens, steps) = (parse.GetValue(batches), parse.GetValue(tokens), parse.GetValue(studentSteps));
            foreach (var (name, value) in new[] { ("--batches", count), ("--tokens", newTokens), ("--student-steps", steps) })
                if (value < 1) throw new UserError($"{name} must be at least 1 (got {value}).");
            var pruneTo = parse.GetValue(sparsities)!;
            if (pruneTo.Where(s => s is not (> 0 and < 1)).Select(s => (double?)s).FirstOrDefault() is { } wrong)
                throw new UserError($"--sparsity {wrong} is outside (0, 1): give fractions of the weights to zero, e.g. --sparsity 0.5 0.9.");
            // Checked before the output folder, so that a wrong checkpoint leaves no folder behind.
            var (loaded, tokenizer, manifest) = Checkpoint.LoadModel(source, CPU);
            using var _ = loaded;
            OnnxExport.RequireGpt(manifest.Config, source);
            var teacher = (Gpt)loaded;
            var config = teacher.Config;
            var studentConfig = config with
            {
                NLayer = parse.GetValue(studentLayers) ?? Math.Max(1, config.NLayer / 2),
                NEmbd = parse.GetValue(studentWidth) ?? Math.Max(config.NHead, config.NEmbd / 2),
                Dropout = 0,
            };
            try { studentConfig.Validate(); }
            catch (ArgumentException e) { throw new UserError($"The student is not a valid model: {e.Message} Change --student-layers or --student-embd."); }
            using var outputLock = FolderLock.Acquire(parse.GetValue(output)!, "output folder");
            var folder = outputLock.Directory;
            var download = new DownloadOptions { Progress = new Progress<DownloadProgress>(DownloadLine.Print) };
            using var data = TrainingData.FromCorpus(manifest.CorpusName, download, _ => tokenizer);
            using var split = new TokenSplit(tokenizer.Encode(data.Text!.Text), config.BlockSize);
            var batchSize = manifest.Options.BatchSize;
            (Tensor, Tensor) Batch(Generator g) => split.Batch(true, batchSize, config.BlockSize, g, CPU);
            double TorchLoss(Gpt model) { using var g = new Generator(1); return Evaluator.MeanLoss(model, _ => Batch(g), count); }
            double OnnxLoss(OnnxGpt model) { using var g = new Generator(1); return InferenceMeasurements.MeanLoss(model, _ => Batch(g), count); }
            var prompt = split.Validation[..(config.BlockSize / 2)].data<long>().Select(i => (int)i).ToArray();
            double TorchSpeed(Gpt model) => InferenceMeasurements.TokensPerSecond(n =>
            {
                using var scope = NewDisposeScope();
                model.Generate(tensor(prompt.Select(i => (long)i).ToArray()).unsqueeze(0), n, NextTokenSampler.Greedy);
            }, newTokens);
            double OnnxSpeed(OnnxGpt model) => InferenceMeasurements.TokensPerSecond(n => model.Continue(prompt, n, Argmax).Count(), newTokens);
            string Mb(long bytes) => $"{bytes / 1e6:F3} MB";
            var checkpointBytes = new FileInfo(Path.Combine(source, Checkpoint.ModelFile)).Length;
            var markdown = new StringBuilder($"Checkpoint `{source}`: {config}, {teacher.ParameterCount():N0} parameters; validation loss over {count} batches of " +
                $"{batchSize} × {config.BlockSize} tokens; speed = greedy generation of {newTokens} tokens after a {prompt.Length}-token prompt, batch 1, CPU.\n");
            var weights = teacher.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
            string Export(string name, OnnxExportOptions options)
            {
                var path = Path.Combine(folder, name);
                OnnxExport.Write(GptOnnx.Build(config, weights, options), path);
                return path;
            }

            Lines.Write("Measuring TorchSharp against ONNX Runtime…");
            var plainPath = Export("model.onnx", new());
            var kvPath = Export("model-kv.onnx", new(KvCache: true));
            var int8Path = Export("model-kv-int8.onnx", new(KvCache: true, Int8Weights: true));
            tokenizer.Save(folder);
            var original = (Loss: TorchLoss(teacher), Speed: TorchSpeed(teacher));
            var formats = new Table("model", "file", "size", "tokens/s", "validation loss");
            formats.Row("TorchSharp", Checkpoint.ModelFile, Mb(checkpointBytes), $"{original.Speed:F0}", $"{original.Loss:F4}");
            foreach (var (name, path) in new[] { ("ONNX Runtime", plainPath), ("ONNX Runtime, KV cache", kvPath) })
            {
                using var onnx = new OnnxGpt(path);
                formats.Row(name, Path.GetFileName(path), Mb(new FileInfo(path).Length), $"{OnnxSpeed(onnx):F0}", $"{OnnxLoss(onnx):F4}");
            }
            Report("ONNX Runtime against TorchSharp", formats, markdown);

            Lines.Write("Measuring int8 weights…");
            var quantised = new Table("model", "file", "size", "tokens/s", "validation loss");
            foreach (var (name, path, int8Activations) in new[]
            {
                ("fp32 (original)", kvPath, true), ("int8 weights, fp32 activations", int8Path, false), ("int8 weights and activations (ONNX Runtime's default)", int8Path, true),
            })
            {
                using var onnx = new OnnxGpt(path, int8Activations);
                quantised.Row(name, Path.GetFileName(path), Mb(new FileInfo(path).Length), $"{OnnxSpeed(onnx):F0}", $"{OnnxLoss(onnx):F4}");
            }
            Report("Post-training int8 quantisation, per channel (ONNX Runtime, KV cache)", quantised, markdown);

            Lines.Write("Measuring magnitude pruning…");
            var pruning = new Table("sparsity of block matrices", "gzip size", "tokens/s (TorchSharp)", "validation loss");
            var curve = new List<(double Sparsity, double Loss)>();
            foreach (var sparsity in pruneTo.Prepend(0))
            {
                using var model = (Gpt)Checkpoint.LoadModel(source, CPU).Model;
                MagnitudePruning.Prune(model, sparsity);
                var loss = TorchLoss(model);
                curve.Add((MagnitudePruning.Sparsity(model), loss));
                pruning.Row($"{MagnitudePruning.Sparsity(model):P0}{(sparsity == 0 ? " (original)" : "")}",
                    Mb(InferenceMeasurements.GzipBytes(model.parameters())), $"{TorchSpeed(model):F0}", $"{loss:F4}");
            }
            Report("Magnitude pruning (per layer, unstructured)", pruning, markdown);
            var figure = new Figure("Validation loss against sparsity", "fraction of block weights set to zero", "validation loss (nats/token)")
                .Line(curve.Select(c => c.Sparsity), curve.Select(c => c.Loss), "pruned", markers: true);
            ChartFiles.Save(figure, Path.Combine(folder, "pruning.html"));

            Lines.Write($"Training two students ({studentConfig.NLayer} × {studentConfig.NEmbd}, {steps} steps each)…");
            var options = new DistillationOptions(steps, batchSize, manifest.Options.LearningRate, Seed: manifest.Options.Seed);
            var distillation = new Table("model", "parameters", "gzip size", "tokens/s (TorchSharp)", "validation loss");
            distillation.Row("teacher", $"{teacher.ParameterCount():N0}", Mb(InferenceMeasurements.GzipBytes(teacher.parameters())), $"{original.Speed:F0}", $"{original.Loss:F4}");
            foreach (var (name, from) in new[] { ("student trained alone", (Gpt?)null), ("student distilled from the teacher", teacher) })
            {
                using var student = Distillation.TrainStudent(studentConfig, split, from, options);
                distillation.Row(name, $"{student.ParameterCount():N0}", Mb(InferenceMeasurements.GzipBytes(student.parameters())), $"{TorchSpeed(student):F0}", $"{TorchLoss(student):F4}");
            }
            Report($"Knowledge distillation (T = {options.Temperature}, α = {options.Alpha}, {steps} steps each, same initial weights and batches)", distillation, markdown);

            File.WriteAllText(Path.Combine(folder, "compression.md"), markdown.ToString());
            AnsiConsole.Console.WriteLine($"Wrote {Path.Combine(folder, "compression.md")}, pruning.html/.svg and the ONNX models.");
            return 0;
        });
        return command;
    }

    private static int Argmax(float[] logits) => Array.IndexOf(logits, logits.Max());

    private static void Report(string title, Table table, StringBuilder markdown)
    {
        AnsiConsole.Console.WriteLine($"\n{title}\n{table}");
        markdown.Append($"\n### {title}\n\n| {string.Join(" | ", table.Columns)} |\n|{string.Concat(table.Columns.Select(_ => "---|"))}\n");
        foreach (var row in table.Rows) markdown.Append($"| {string.Join(" | ", row)} |\n");
    }
}
