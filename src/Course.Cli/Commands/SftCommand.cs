using System.CommandLine;
using System.Text.Json;
using Course.Data;
using Course.Experiments;
using Course.FineTuning.Instructions;
using Course.Models;
using Course.Training;
using Spectre.Console;

namespace Course.Cli.Commands;

/// <summary>`course sft`: instruction-tune a pretrained GPT on questions about .NET members, scored on held-out members
/// before and after.</summary>
public static class SftCommand
{
    /// <summary>The recipe: a tenth of pretraining's warm-up, since the body is already trained.</summary>
    public static readonly TrainingOptions Recipe = new TrainingOptions
    {
        MaxSteps = 300, BatchSize = 16, WarmupSteps = 20, EvalInterval = 100, EvalBatches = 20,
    }.WithLearningRate(1e-3);

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };
    private const string BeforeFile = "before.json", SummaryFile = "summary.json";

    public static Command Create()
    {
        var checkpoint = new Option<string?>("--checkpoint") { Description = "Pretrained checkpoint folder, e.g. runs/NAME/checkpoints/best (not with --resume)." };
        var output = new Option<string?>("--out") { Description = "Run folder (default: runs/sft-TIMESTAMP)." };
        var steps = new Option<int?>("--steps") { Description = $"Optimizer steps (default {Recipe.MaxSteps}; on --resume, the run's)." };
        var batchSize = new Option<int?>("--batch-size") { Description = $"Examples per micro-batch (default {Recipe.BatchSize})." };
        var accumulation = new Option<int?>("--grad-accum") { Description = "Micro-batches per optimizer step (default 1)." };
        var lr = new Option<double?>("--lr") { Description = $"Peak learning rate (default {Recipe.LearningRate}; the cosine decays to a tenth of it)." };
        var evalInterval = new Option<int?>("--eval-interval") { Description = $"Steps between validation losses (default {Recipe.EvalInterval})." };
        var evalBatches = new Option<int?>("--eval-batches") { Description = $"Batches averaged per validation loss (default {Recipe.EvalBatches})." };
        var saveInterval = new Option<int?>("--save-interval") { Description = "Steps between saves of checkpoints/latest (default: the evaluation interval)." };
        var seed = new Option<long?>("--seed") { Description = "Seed for batches and dropout." };
        var precision = new Option<string?>("--precision") { Description = "fp32 (default), tf32 or bf16 (bf16 compute, fp32 master weights; for GPUs)." };
        var evalExamples = new Option<int>("--eval-examples") { Description = "Held-out test examples answered greedily and scored (exact match, token F1), before and after.", DefaultValueFactory = _ => 20 };
        var device = new Option<string>("--device") { Description = "auto (CUDA when present), cpu or cuda.", DefaultValueFactory = _ => "auto" };
        device.AcceptOnlyFromAmong(DeviceChoice.Values);
        var resume = new Option<bool>("--resume") { Description = "Continue the run in --out from its newest valid checkpoint, with the options it was started with." };

        var command = new Command("sft", $"Instruction-tune a pretrained GPT ({InstructionSet.Name}: \"What does M:System.String.Trim do?\" answered with the member's summary) and score it on held-out members before and after.")
        {
            checkpoint, output, steps, batchSize, accumulation, lr, evalInterval, evalBatches, saveInterval, seed, precision, evalExamples, device, resume,
        };
        command.SetAction(parse =>
        {
            var request = new PretrainRequest(null, null, null, null, parse.GetValue(steps), parse.GetValue(batchSize), parse.GetValue(accumulation), parse.GetValue(lr),
                parse.GetValue(evalInterval), parse.GetValue(evalBatches), parse.GetValue(saveInterval), parse.GetValue(seed),
                parse.GetValue(precision) is string p ? PrecisionExtensions.Parse(p) : null);
            var generate = parse.GetValue(evalExamples);
            if (generate < 1) throw new UserError($"--eval-examples must be at least 1 (got {generate}).");
            var target = DeviceChoice.Resolve(parse.GetValue(device)!);
            if (!parse.GetValue(resume))
            {
                var source = parse.GetValue(checkpoint) ?? throw new UserError("Give the pretrained model to tune with --checkpoint runs/NAME/checkpoints/best (or --out FOLDER --resume to continue a run).");
                var options = request.ApplyTo(Recipe).Validate();
                Checkpoint.ReadManifest(CheckpointFolder.Recover(source)); // a wrong path is reported before any folder is made
                using var created = RunFolder.OpenNew(parse.GetValue(output) ?? Path.Combine("runs", $"sft-{DateTime.Now:yyyyMMdd-HHmmss}"), "Add --resume to continue it, or choose another --out.");
                var (pretrained, tokenizer, manifest) = Checkpoint.LoadModel(source, TorchSharp.torch.CPU);
                Dictionary<string, TorchSharp.torch.Tensor> grown;
                using (pretrained) grown = EmbeddingGrowth.Grow(pretrained, ChatTemplate.SpecialTokens.Count);
                try
                {
                    var template = new ChatTemplate(tokenizer, manifest.Config.VocabSize);
                    return Tune(manifest.Config with { VocabSize = template.VocabSize }, template, grown, options, generate, target, created.Path, resumeFrom: null, Path.GetFullPath(source));
                }
                finally
                {
                    foreach (var tensor in grown.Values) tensor.Dispose();
                }
            }
            if (parse.GetValue(checkpoint) is not null)
                throw new UserError("--resume continues from the run's own checkpoints; leave out --checkpoint (the pretrained model was read when the run started).");
            using var folder = RunFolder.Open(parse.GetValue(output) ?? throw new UserError("--resume needs the --out folder of the run to continue."));
            using var point = ResumePoint.Find(folder.Path) ?? throw new UserError($"{folder.Path} has no checkpoint to resume. Start a new run with --checkpoint and another --out.");
            var saved = point.Manifest;
            if (saved.CorpusName != InstructionSet.Name)
                throw new UserError($"{folder.Path} is a run on '{saved.CorpusName}', not an instruction-tuning run; resume it with the command that started it.");
            var resumed = new ChatTemplate(point.Loaded.Tokenizer, saved.Config.VocabSize - ChatTemplate.SpecialTokens.Count);
            return Tune(saved.Config, resumed, point.Loaded.Weights.Tensors, request.Merge(saved, point.Loaded.Tokenizer), generate, target, folder.Path, point, source: null);
        });
        return command;
    }

    private static int Tune(GptConfig config, ChatTemplate template, IReadOnlyDictionary<string, TorchSharp.torch.Tensor> weights, TrainingOptions options, int generate,
        TorchSharp.torch.Device device, string runDirectory, ResumePoint? resumeFrom, string? source)
    {
        var set = InstructionSet.Load();
        List<EncodedInstruction> Fit(IReadOnlyList<Instruction> split) => split.Select(e => template.Encode(e, config.BlockSize)).OfType<EncodedInstruction>().ToList();
        var (train, validation, test) = (Fit(set.Train), Fit(set.Validation), Fit(set.Test));
        if (train.Count == 0 || validation.Count == 0 || test.Count == 0)
            throw new UserError($"No question and answer of {InstructionSet.Name} fits this model's context of {config.BlockSize} tokens in every split (train {train.Count}, validation {validation.Count}, test {test.Count}). " +
                "Tune a model with a longer context, such as one pretrained with --preset cpu-small (128).");
        using var batches = new InstructionBatches(template, train, validation);
        Lines.Write($"[bold]course sft[/]: {InstructionSet.Name} on {device.type}, {train.Count:N0} / {validation.Count:N0} / {test.Count:N0} train / validation / test examples fit the context of {config.BlockSize} " +
                    $"(of {set.Train.Count:N0} / {set.Validation.Count:N0} / {set.Test.Count:N0}); split by member, so no test member is trained on");
        using var trainer = new Trainer(config, batches, (InstructionSet.Name, set.Sha256()), template.Tokenizer, weights, options, device, runDirectory);
        var record = RunRecord.Start("sft", config, options, InstructionSet.Name);
        if (resumeFrom is not null)
        {
            trainer.Resume(resumeFrom.Loaded, resumeFrom.Directory);
            if (File.Exists(Path.Combine(runDirectory, RunRecord.FileName))) record = record with { Created = RunRecord.Load(runDirectory).Created };
            Lines.Write($"Resumed from {Markup.Escape(resumeFrom.Name)} at step {trainer.Step}.");
        }
        else
        {
            Lines.Write($"Base model {Markup.Escape(source!)}: {string.Join(", ", ChatTemplate.SpecialTokens)} added as ids {template.User}–{template.End}, their embedding rows the mean of the {template.User:N0} existing rows");
            trainer.SaveLatest();
        }
        record.Save(runDirectory);

        // The pretrained model's scores, measured once before the first step and kept for a resumed run.
        var beforePath = Path.Combine(runDirectory, BeforeFile);
        InstructionScores before;
        if (trainer.Step == 0 || !File.Exists(beforePath))
        {
            Lines.Write($"Scoring the pretrained model on {test.Count:N0} held-out examples ({Math.Min(generate, test.Count)} answered greedily)...");
            before = InstructionEvaluation.Score(trainer.Model, template, batches, test, generate, device);
            trainer.Log(AnswerMetrics.Of(0, before));
            AtomicFile.WriteBytes(beforePath, JsonSerializer.SerializeToUtf8Bytes(before, Json));
        }
        else before = JsonSerializer.Deserialize<InstructionScores>(File.ReadAllBytes(beforePath), Json)!;
        Lines.Write($"before tuning: answer loss {before.AnswerLoss:F4} nats/token, exact match {before.ExactMatch:P1}, token F1 {before.F1:F3}");
        Lines.Write($"{trainer.Model.ParameterCount():N0} parameters; {options.MaxSteps} steps of {options.BatchSize * options.GradientAccumulationSteps} examples, precision {options.Precision.ToString().ToLowerInvariant()}; run folder {Markup.Escape(runDirectory)}");

        if (RecordedTraining.Run(trainer, record, runDirectory)) return UserErrors.ExitInterrupted;
        var after = InstructionEvaluation.Score(trainer.Model, template, batches, test, generate, device);
        trainer.Log(AnswerMetrics.Of(trainer.Step, after));
        Report(before, after, test.Count);
        File.WriteAllBytes(Path.Combine(runDirectory, SummaryFile), JsonSerializer.SerializeToUtf8Bytes(new { task = InstructionSet.Name, steps = trainer.Step, before, after }, Json));
        var metrics = RunRecord.LossMetrics(runDirectory);
        (metrics["answer_loss_before"], metrics["answer_loss_after"], metrics["exact_match_after"], metrics["f1_after"]) = (before.AnswerLoss, after.AnswerLoss, after.ExactMatch, after.F1);
        record.Finish(RunRecord.Completed, metrics).Save(runDirectory);
        Lines.Write($"Run folder {Markup.Escape(runDirectory)} (checkpoints/latest, metrics.jsonl, before.json, summary.json).");
        return 0;
    }

    private static void Report(InstructionScores before, InstructionScores after, int heldOut)
    {
        var table = new Table().Title($"held-out test members ({heldOut:N0} for the loss, {after.Samples.Count} answered)")
            .AddColumns("model", "answer loss (nats/token)", "exact match", "token F1");
        table.AddRow("before tuning", $"{before.AnswerLoss:F4}", $"{before.ExactMatch:P1}", $"{before.F1:F3}");
        table.AddRow("after tuning", $"{after.AnswerLoss:F4}", $"{after.ExactMatch:P1}", $"{after.F1:F3}");
        AnsiConsole.Console.Write(table);
        foreach (var (b, a) in before.Samples.Zip(after.Samples).Take(5))
        {
            // Plain Console: generated text may hold [ and ], which Spectre markup would read as styles.
            Console.WriteLine($"Q: {a.Question}");
            Console.WriteLine($"   true:   {a.Truth}");
            Console.WriteLine($"   before: {b.Generated}");
            Console.WriteLine($"   after:  {a.Generated}  (exact {a.ExactMatch:F0}, F1 {a.F1:F2})");
        }
    }
}
