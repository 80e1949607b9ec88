using Course.Evaluation;
using Course.Models;
using static TorchSharp.torch;

namespace Course.FineTuning.Instructions;

/// <summary>A held-out question with the true summary and the model's greedy answer.</summary>
public sealed record AnswerSample(string MemberId, string Question, string Truth, string Generated, double ExactMatch, double F1);

/// <summary>How well a model answers held-out instructions: the mean loss on answer tokens (nats per token, the prompt
/// masked as in training) over <see cref="LossExamples"/> examples, and exact match and token F1 of greedy answers to the
/// first <see cref="Samples"/>.Count of them.</summary>
public sealed record InstructionScores(double AnswerLoss, long AnswerTokens, int LossExamples, double ExactMatch, double F1, IReadOnlyList<AnswerSample> Samples);

public static class InstructionEvaluation
{
    /// <summary>Scores <paramref name="model"/> on <paramref name="examples"/>: the answer loss on all of them, generation on the
    /// first <paramref name="generate"/>. Leaves the model in the mode it was in.</summary>
    public static InstructionScores Score(LanguageModel model, ChatTemplate template, InstructionBatches batches, IReadOnlyList<EncodedInstruction> examples,
        int generate, Device device, int batchSize = 32)
    {
        if (examples.Count == 0) throw new ArgumentException("There are no examples to score.");
        var (loss, tokens) = AnswerLoss(model, batches, examples, batchSize, device);
        var samples = examples.Take(generate).Select(e =>
        {
            var generated = GreedyAnswer(model, template, e, device);
            return new AnswerSample(e.Source.MemberId, e.Source.Question, e.Source.Answer, generated,
                AnswerOverlap.ExactMatch(generated, e.Source.Answer), AnswerOverlap.F1(generated, e.Source.Answer));
        }).ToList();
        return new InstructionScores(loss, tokens, examples.Count, samples.Count > 0 ? samples.Average(s => s.ExactMatch) : double.NaN,
            samples.Count > 0 ? samples.Average(s => s.F1) : double.NaN, samples);
    }

    /// <summary>Mean cross-entropy per answer token (masked targets excluded) and the number of answer tokens: the sum
    /// over all examples divided by their answer tokens, so long answers weigh by their length, as in training.</summary>
    public static (double Loss, long Tokens) AnswerLoss(LanguageModel model, InstructionBatches batches, IReadOnlyList<EncodedInstruction> examples, int batchSize, Device device)
    {
        var wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = no_grad();
            double sum = 0;
            long tokens = 0;
            foreach (var chunk in examples.Chunk(batchSize))
            {
                using var scope = NewDisposeScope();
                var (x, y) = batches.Tensors(chunk, device);
                sum += model.forward(x, y, nn.Reduction.Sum).Loss.item<float>();
                tokens += chunk.Sum(e => e.AnswerTokens);
            }
            return (sum / tokens, tokens);
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    /// <summary>The model's greedy answer to the example's question, up to &lt;|end|&gt; or the end of the context.</summary>
    public static string GreedyAnswer(LanguageModel model, ChatTemplate template, EncodedInstruction example, Device device)
    {
        using var scope = NewDisposeScope();
        var prompt = example.Tokens[..example.PromptLength];
        var room = model.Config.BlockSize - prompt.Length;
        var ids = tensor(prompt.Select(i => (long)i).ToArray(), [1, prompt.Length], device: device);
        var sequence = model.Generate(ids, room, NextTokenSampler.Greedy, stopToken: template.End);
        return template.Answer(sequence[0, prompt.Length..].cpu().data<long>().ToArray());
    }
}

/// <summary>A line of metrics.jsonl: instruction scores at a step (step 0: the pretrained model, before tuning).</summary>
public sealed record AnswerMetrics(int Step, double AnswerLoss, long AnswerTokens, int LossExamples, double ExactMatch, double F1, int Generated)
{
    public string Kind => "answers";

    public static AnswerMetrics Of(int step, InstructionScores scores) =>
        new(step, scores.AnswerLoss, scores.AnswerTokens, scores.LossExamples, scores.ExactMatch, scores.F1, scores.Samples.Count);
}
