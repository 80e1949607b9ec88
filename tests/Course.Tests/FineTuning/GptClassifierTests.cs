using Course.Data;
using Course.FineTuning;
using Course.Models;
using Course.Tests.Data;
using Course.Training;
using static TorchSharp.torch;

namespace Course.Tests.FineTuning;

public class GptClassifierTests
{
    private static readonly GptConfig Config = new(VocabSize: 12, BlockSize: 8, NLayer: 1, NHead: 2, NEmbd: 16);

    [Fact]
    public void Gpt_forward_is_the_tied_output_layer_applied_to_Hidden()
    {
        manual_seed(1);
        using var gpt = new Gpt(Config);
        gpt.eval();
        using var scope = NewDisposeScope();
        var idx = randint(12, [2, 5]);
        var hidden = gpt.Hidden(idx);
        Assert.Equal([2L, 5, 16], hidden.shape);
        var wte = gpt.named_parameters().Single(p => p.name == "transformer.wte.weight").parameter;
        Assert.True(gpt.forward(idx).allclose(hidden.matmul(wte.t())));
    }

    [Fact]
    public void Padding_after_a_sequence_does_not_change_its_logits()
    {
        // Causal attention: the last real token never attends to the padding after it.
        manual_seed(2);
        using var model = new GptClassifier(new Gpt(Config), classes: 3);
        model.eval();
        using var scope = NewDisposeScope();
        var alone = model.forward(tensor(new long[] { 3, 4, 5 }).unsqueeze(0), tensor(new long[] { 3 }));
        var (ids, lengths) = SequenceEncoder.Batch([[3, 4, 5], [1, 2, 3, 4, 5, 6]], CPU);
        var batched = model.forward(ids, lengths);
        Assert.True(alone[0].allclose(batched[0], atol: 1e-6));
        // Mean pooling averages only the real positions, so it is blind to the padding too.
        using var mean = new GptClassifier(new Gpt(Config), 3, Pooling.Mean);
        mean.eval();
        Assert.True(mean.forward(tensor(new long[] { 3, 4, 5 }).unsqueeze(0), tensor(new long[] { 3 }))[0].allclose(mean.forward(ids, lengths)[0], atol: 1e-6));
    }

    [Fact]
    public void Encoder_drops_unknown_characters_and_keeps_the_first_block()
    {
        var encoder = new SequenceEncoder(new CharTokenizer("abc "), blockSize: 4);
        var tokenizer = (CharTokenizer)encoder.Tokenizer;
        Assert.Equal("ab c", tokenizer.Decode(encoder.Encode("aXb cab")));   // X dropped, cut to 4
        Assert.Equal([0], encoder.Encode("XYZ"));                            // nothing known: one token to pool
    }

    [Fact]
    public void Frozen_body_keeps_its_weights_while_the_head_learns_and_the_checkpoint_round_trips()
    {
        var task = ToyTask();
        manual_seed(3);
        using var model = new GptClassifier(new Gpt(Config with { VocabSize = 4 }), 2);
        var bodyBefore = model.Body.parameters().Select(p => p.clone()).ToList();
        var options = new FineTuneOptions { FreezeBody = true, Training = new TrainingOptions { MaxSteps = 30, BatchSize = 8, LearningRate = 3e-2, MinLearningRate = 3e-3, WarmupSteps = 0, EvalInterval = 30, EvalBatches = 1 } };
        var encoder = new SequenceEncoder(new CharTokenizer("ab x"), 8);
        using (var trainer = new ClassifierTrainer(model, encoder, task, options, CPU))
        {
            trainer.Run();
            Assert.All(model.Body.parameters().Zip(bodyBefore), p => Assert.True(p.First.allclose(p.Second, rtol: 0, atol: 0)));
            // The label is the last character, whose embedding the pooled last position carries: the head alone learns it.
            Assert.True(trainer.Score(task.Test).Accuracy >= 0.9, $"accuracy {trainer.Score(task.Test).Accuracy}");
        }
        using var folder = new TempDirectory();
        ClassifierCheckpoint.Save(folder.Path, model, new ClassifierCheckpoint.Manifest(task.Name, task.Labels, model.Body.Config, model.Pooling, null, 30), encoder.Tokenizer);
        var (loaded, tokenizer, manifest) = ClassifierCheckpoint.Load(folder.Path, CPU);
        using (loaded)
        {
            Assert.Equal(task.Labels, manifest.Labels);
            var before = ClassifierTrainer.Predict(model, encoder, task.Test, CPU).Predictions;
            Assert.Equal(before, ClassifierTrainer.Predict(loaded, new SequenceEncoder(tokenizer, 8), task.Test, CPU).Predictions);
        }
    }

    [Fact]
    public void Balanced_class_weights_are_inverse_frequencies()
    {
        // 6 examples, 2 classes present with 4 and 2: n / (k · n_c) = 6/(2·4) = 0.75 and 6/(2·2) = 1.5; an absent class weighs 0.
        Assert.Equal([0.75, 1.5, 0.0], new FineTuneOptions { ClassWeights = "balanced" }.WeightsFor([4, 2, 0])!);
        Assert.Null(new FineTuneOptions().WeightsFor([4, 2]));
        Assert.Contains("balanced", Assert.Throws<UserError>(() => new FineTuneOptions { ClassWeights = "inverse" }.Validate()).Message);
    }

    /// <summary>Texts "… a" are class 0, "… b" class 1; the text before is noise of x and spaces.</summary>
    internal static ClassificationTask ToyTask()
    {
        var random = new Random(5);
        List<LabeledText> Make(int n) => Enumerable.Range(0, n).Select(i =>
        {
            var label = random.Next(2);
            return new LabeledText($"{i}", new string(Enumerable.Range(0, random.Next(1, 7)).Select(_ => random.Next(2) == 0 ? 'x' : ' ').ToArray()) + (label == 0 ? "a" : "b"), label);
        }).ToList();
        return new ClassificationTask("toy", ["a", "b"], Make(64), Make(16), Make(32));
    }
}
