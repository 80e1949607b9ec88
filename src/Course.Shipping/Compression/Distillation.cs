using Course.Data;
using Course.Models;
using Course.Training;
using static TorchSharp.torch;

namespace Course.Shipping.Compression;

/// <summary>How a student is trained: steps, batch, learning rate, and the distillation's temperature and weight.</summary>
public sealed record DistillationOptions(int Steps, int BatchSize = 16, double LearningRate = 3e-3, double Temperature = 2.0, double Alpha = 0.5, long Seed = 1337);

/// <summary>
/// Knowledge distillation (Hinton, Vinyals and Dean, 2015): a small student learns from a trained teacher's whole
/// next-token distribution, softened by a temperature T, as well as from the true next token:
/// loss = (1 − α)·CE(student, y) + α·T²·KL(softmax(teacher/T) ‖ softmax(student/T)). The T² keeps the soft targets'
/// gradients on the scale of the hard ones. Without a teacher the same loop trains the student on CE alone, with the
/// same initial weights and batches, which is the comparison that shows what the soft targets add.
/// </summary>
public static class Distillation
{
    /// <summary>Trains a new GPT of <paramref name="config"/> for <paramref name="options"/>.Steps steps; returns it in eval mode.</summary>
    public static Gpt TrainStudent(GptConfig config, ITokenBatches data, Gpt? teacher, DistillationOptions options)
    {
        if (teacher is not null && teacher.Config.VocabSize != config.VocabSize)
            throw new UserError($"The student's vocabulary ({config.VocabSize}) must be the teacher's ({teacher.Config.VocabSize}).");
        if (teacher is not null && teacher.Config.BlockSize < config.BlockSize)
            throw new UserError($"The student's context ({config.BlockSize}) cannot be longer than the teacher's ({teacher.Config.BlockSize}).");
        manual_seed(options.Seed);
        var student = new Gpt(config);
        using var optimizer = new AdamW(student.named_parameters(), weightDecay: 0.1, beta1: 0.9, beta2: 0.99);
        using var batches = new Generator((ulong)options.Seed);
        var schedule = new LearningRateSchedule(options.LearningRate, options.LearningRate / 10, Math.Max(1, options.Steps / 10), options.Steps);
        teacher?.eval();
        student.train();
        for (int step = 0; step < options.Steps; step++)
        {
            using var scope = NewDisposeScope();
            var (x, y) = data.Batch(false, options.BatchSize, config.BlockSize, batches, CPU);
            optimizer.ZeroGrad();
            var (logits, hard) = student.forward(x, y);
            var loss = hard;
            if (teacher is not null)
            {
                Tensor teacherLogits;
                using (no_grad()) teacherLogits = teacher.forward(x);
                loss = (1 - options.Alpha) * hard + options.Alpha * SoftTargetLoss(logits, teacherLogits, options.Temperature);
            }
            loss.backward();
            optimizer.Update(schedule.At(step), maxNorm: 1.0);
        }
        student.eval();
        return student;
    }

    /// <summary>T²·KL(softmax(teacher/T) ‖ softmax(student/T)), averaged over positions.</summary>
    public static Tensor SoftTargetLoss(Tensor studentLogits, Tensor teacherLogits, double temperature)
    {
        var teacherLog = (teacherLogits / temperature).log_softmax(-1);
        var studentLog = (studentLogits / temperature).log_softmax(-1);
        var kl = (teacherLog.exp() * (teacherLog - studentLog)).sum(-1).mean();
        return kl * (temperature * temperature);
    }
}
