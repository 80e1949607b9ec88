using Course.Data;
using Course.FineTuning;
using Course.FineTuning.Instructions;
using Course.Models;
using Course.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Course.Tests.FineTuning;

public class InstructionTuningTests
{
    private static readonly CharTokenizer Chars = CharTokenizer.FromText("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.:? ");
    private static readonly ChatTemplate Template = new(Chars, Chars.VocabSize);
    private static readonly GptConfig Config = new(VocabSize: Chars.VocabSize + 3, BlockSize: 48, NLayer: 1, NHead: 2, NEmbd: 16, Dropout: 0);

    private static Instruction Ask(string id, string answer) => new(id, InstructionSet.QuestionAbout(id), answer);

    /// <summary>A seeded random model and two encoded examples with answers of different lengths.</summary>
    private static (LanguageModel Model, EncodedInstruction[] Examples, InstructionBatches Batches) TwoExamples(int seed)
    {
        manual_seed(seed);
        var examples = new[] { Template.Encode(Ask("M:A.B", "Gets it."), 48)!, Template.Encode(Ask("T:A", "A type."), 48)! };
        return (LanguageModel.Create(Config), examples, new InstructionBatches(Template, examples, examples));
    }

    [Fact]
    public void The_split_is_by_member_so_no_member_is_in_two_splits()
    {
        var members = Enumerable.Range(0, 300).Select(i => ($"{"TMPFE"[i % 5]}:Ns.Type{i % 40}.Member{i}", $"Summary {i}.")).ToList();
        var set = InstructionSet.From(MemberKindTask.FromMembers(members));
        var splits = new[] { set.Train, set.Validation, set.Test };
        Assert.All(splits, s => Assert.NotEmpty(s));
        Assert.Equal(300, splits.Sum(s => s.Count));
        Assert.Equal(300, splits.SelectMany(s => s.Select(e => e.MemberId)).Distinct().Count());
        Assert.All(set.Test, e => Assert.Equal(9, MemberKindTask.Bucket(e.MemberId)));
        Assert.All(set.Validation, e => Assert.Equal(8, MemberKindTask.Bucket(e.MemberId)));
        Assert.All(set.Train, e => Assert.True(MemberKindTask.Bucket(e.MemberId) < 8));
        var first = set.Train[0];
        Assert.Equal($"What does {first.MemberId} do?", first.Question);
        Assert.Equal(members.Single(m => m.Item1 == first.MemberId).Item2, first.Answer);
    }

    [Fact]
    public void The_template_puts_new_special_ids_around_the_turns_and_masks_every_prompt_target()
    {
        Assert.Equal([Chars.VocabSize, Chars.VocabSize + 1, Chars.VocabSize + 2], new[] { Template.User, Template.Assistant, Template.End });
        var example = Template.Encode(Ask("M:A.B", "Gets it."), 48)!;
        var question = Chars.Encode("What does M:A.B do?");
        int[] expected = [Template.User, .. question, Template.Assistant, .. Chars.Encode("Gets it."), Template.End];
        Assert.Equal(expected, example.Tokens);
        Assert.Equal(question.Length + 2, example.PromptLength);
        Assert.Equal("Gets it.".Length + 1, example.AnswerTokens);

        var (inputs, targets) = Template.InputsAndTargets(example, 40);
        Assert.Equal(expected[..^1].Select(i => (long)i), inputs[..(expected.Length - 1)]);
        Assert.All(inputs[(expected.Length - 1)..], id => Assert.Equal(Template.End, id)); // padding
        // Targets: ignore_index up to the position that reads <|assistant|>, then the answer and <|end|>, then padding.
        Assert.All(targets[..(example.PromptLength - 1)], t => Assert.Equal(ChatTemplate.IgnoreIndex, t));
        Assert.Equal(expected[example.PromptLength..].Select(i => (long)i), targets[(example.PromptLength - 1)..(expected.Length - 1)]);
        Assert.All(targets[(expected.Length - 1)..], t => Assert.Equal(ChatTemplate.IgnoreIndex, t));
        Assert.Equal(example.AnswerTokens, targets.Count(t => t != ChatTemplate.IgnoreIndex));

        Assert.Null(Template.Encode(Ask("M:A.B", new string('x', 40)), 48)); // does not fit: left out, not cut
        Assert.Null(Template.Encode(Ask("M:A.B", "Gets 2 items."), 48)); // '2' is not in the char vocabulary
        Assert.Equal("Gets it.", Template.Answer([.. Chars.Encode("Gets it.").Select(i => (long)i), Template.End, 0, 1]));
    }

    [Fact]
    public void The_loss_counts_answer_tokens_only_so_prompt_logits_get_no_gradient()
    {
        var (model, examples, batches) = TwoExamples(seed: 1);
        using var _ = model;
        var (x, y) = batches.Tensors(examples, CPU);
        var logits = model.forward(x).detach().requires_grad_();
        var loss = nn.functional.cross_entropy(logits.view(-1, logits.size(-1)), y.view(-1));
        loss.backward();
        // By hand: the mean of -log p(target) over the answer positions alone.
        var logProbabilities = logits.detach().log_softmax(-1);
        double sum = 0;
        var counted = 0;
        for (int b = 0; b < examples.Length; b++)
            for (int t = examples[b].PromptLength - 1; t < examples[b].Tokens.Length - 1; t++)
            {
                sum -= logProbabilities[b, t, examples[b].Tokens[t + 1]].item<float>();
                counted++;
            }
        Assert.Equal(examples.Sum(e => e.AnswerTokens), counted);
        Assert.Equal(sum / counted, loss.item<float>(), 4);
        var gradient = logits.grad!.abs().sum(-1); // (B, T)
        for (int b = 0; b < examples.Length; b++)
        {
            Assert.Equal(0f, gradient[b, ..(examples[b].PromptLength - 1)].sum().item<float>());
            Assert.Equal(0f, gradient[b, (examples[b].Tokens.Length - 1)..].sum().item<float>());
            Assert.True(gradient[b, (examples[b].PromptLength - 1)..(examples[b].Tokens.Length - 1)].min().item<float>() > 0);
        }
        // Another question of the same length gives other prompt targets, but the same loss on the same logits.
        var other = Template.Encode(Ask("M:X.Y", "Gets it."), 48)!;
        Assert.NotEqual(examples[0].Tokens, other.Tokens);
        var (_, otherTargets) = Template.InputsAndTargets(other, (int)y.size(1));
        using var y2 = cat([tensor(otherTargets, [1, y.size(1)]), y[1..]], 0);
        Assert.Equal(loss.item<float>(), nn.functional.cross_entropy(logits.detach().view(-1, logits.size(-1)), y2.view(-1)).item<float>());
    }

    [Fact]
    public void Grown_embedding_keeps_every_old_row_and_starts_new_tokens_at_the_mean()
    {
        manual_seed(2);
        using var base_ = LanguageModel.Create(Config with { VocabSize = Chars.VocabSize });
        var grown = EmbeddingGrowth.Grow(base_, 3);
        using var model = LanguageModel.Create(Config);
        Checkpoint.LoadWeights(model, grown);
        var name = base_.TokenEmbeddingName;
        var old = base_.named_parameters().Single(p => p.name == name).parameter;
        var embedding = grown[name];
        Assert.Equal([Chars.VocabSize + 3, Config.NEmbd], embedding.shape);
        Assert.True(embedding[..Chars.VocabSize].eq(old).all().item<bool>());
        for (int i = 0; i < 3; i++) Assert.True(embedding[Chars.VocabSize + i].allclose(old.mean([0])));
        // The old tokens' logits are unchanged: the grown model is the base model plus three new output columns.
        using var ids = tensor(new long[] { 1, 2, 3, 4 }, [1, 4]);
        base_.eval();
        model.eval();
        using var before = base_.forward(ids);
        using var after = model.forward(ids);
        Assert.True(after[.., .., ..Chars.VocabSize].allclose(before, atol: 1e-6));
    }

    [Fact]
    public void Gradient_accumulation_stays_exact_when_examples_have_different_answer_lengths()
    {
        // Answers of 1 to 20 characters: micro-batches count very different numbers of targets, so averaging their
        // means (each / k) would weigh a short answer's tokens more than a long one's.
        var examples = Enumerable.Range(1, 20).Select(n => Template.Encode(Ask($"M:A{(char)('a' + n)}", new string('x', n)), 48)!).ToList();
        using var batches = new InstructionBatches(Template, examples, examples);
        manual_seed(3);
        using var source = LanguageModel.Create(Config);
        var weights = source.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter.detach().clone());
        var options = new TrainingOptions { MaxSteps = 1, WarmupSteps = 0, EvalInterval = 100, EvalBatches = 1, Seed = 4 };
        Trainer Make(int batch, int k) => new(Config, batches, ("test", "0"), Chars, weights, options with { BatchSize = batch, GradientAccumulationSteps = k }, CPU);
        using var big = Make(8, 1);
        using var accumulated = Make(2, 4);
        var lossBig = big.TrainOneStep().Loss;
        var lossAccumulated = accumulated.TrainOneStep().Loss;
        Assert.Equal(lossBig, lossAccumulated, 5);
        var expected = big.Model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, parameter) in accumulated.Model.named_parameters())
            Assert.True(parameter.allclose(expected[name], rtol: 1e-4, atol: 1e-6), $"{name} differs after the update");
    }

    [Theory]
    [InlineData("The argument is a named argument.", "the argument is a named argument", 1.0, 1.0)]
    [InlineData("Gets the value!", "Gets a value", 1.0, 1.0)] // articles and punctuation are not words
    [InlineData("cat sat", "The cat sat on the mat.", 0.0, 2 * 1.0 * 0.5 / 1.5)] // P 2/2, R 2/4
    [InlineData("mat mat mat", "the mat", 0.0, 2 * (1.0 / 3) * 1.0 / (1.0 / 3 + 1.0))] // shared tokens counted once each
    [InlineData("Removes whitespace.", "Gets the length.", 0.0, 0.0)]
    [InlineData("", "Gets it.", 0.0, 0.0)]
    public void Exact_match_and_token_F1_follow_SQuAD(string predicted, string truth, double exact, double f1)
    {
        Assert.Equal(exact, AnswerOverlap.ExactMatch(predicted, truth));
        Assert.Equal(f1, AnswerOverlap.F1(predicted, truth), 10);
    }

    [Fact]
    public void Greedy_answers_stop_at_the_end_token_and_scores_cover_the_examples()
    {
        var (model, examples, batches) = TwoExamples(seed: 5);
        using var _ = model;
        var scores = InstructionEvaluation.Score(model, Template, batches, examples, generate: 1, CPU);
        Assert.Single(scores.Samples);
        Assert.Equal(2, scores.LossExamples);
        Assert.Equal(examples.Sum(e => e.AnswerTokens), scores.AnswerTokens);
        Assert.Equal("Gets it.", scores.Samples[0].Truth);
        Assert.True(double.IsFinite(scores.AnswerLoss) && scores.AnswerLoss > 0);
        // Stopping at <|end|> gives the answer that the whole greedy continuation, cut at its first special token, gives.
        var prompt = examples[0].Tokens[..examples[0].PromptLength];
        using var ids = tensor(prompt.Select(i => (long)i).ToArray(), [1, prompt.Length]);
        using var whole = model.Generate(ids, Config.BlockSize - prompt.Length, Course.Evaluation.NextTokenSampler.Greedy);
        Assert.Equal(Template.Answer(whole[0, prompt.Length..].data<long>().ToArray()), scores.Samples[0].Generated);
        Assert.Equal(AnswerOverlap.F1(scores.Samples[0].Generated, "Gets it."), scores.F1);
    }
}
