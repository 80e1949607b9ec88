using Course.Data;
using Course.Evaluation;
using Course.Shipping.Compression;
using Course.Shipping.Export;
using Course.Shipping.Inference;
using Course.Tests.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Course.Tests.Shipping;

public class OnnxExportTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Onnx_Runtime_logits_match_TorchSharp_for_several_shapes(bool kvCache)
    {
        var directory = TrainingFixtures.TempDirectory();
        using var model = OnnxFixtures.Model();
        using var onnx = new OnnxGpt(OnnxFixtures.Export(model, new(KvCache: kvCache), directory));
        Assert.Equal(kvCache, onnx.HasKvCache);
        foreach (var (batch, length) in new[] { (1, 1), (2, 7), (3, OnnxFixtures.Config.BlockSize) })
        {
            using var scope = NewDisposeScope();
            var ids = randint(OnnxFixtures.Config.VocabSize, [batch, length], dtype: ScalarType.Int64, generator: new Generator((ulong)(batch * 100 + length)));
            Tensor expected;
            using (no_grad()) expected = model.forward(ids);
            var actual = tensor(onnx.Logits(ids.data<long>().ToArray(), batch, length), expected.shape);
            Assert.True(expected.abs().max().item<float>() > 1, "the fixture's logits should not be near zero");
            var difference = (actual - expected).abs().max().item<float>();
            Assert.True(difference < 1e-4, $"({batch}, {length}): ONNX Runtime and TorchSharp differ by {difference}");
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Greedy_generation_gives_the_same_tokens_past_the_block_size(bool kvCache)
    {
        var directory = TrainingFixtures.TempDirectory();
        // Trained a little, so that greedy decoding writes varied text instead of one token again and again.
        using var trainer = TrainingFixtures.NewTrainer(TrainingFixtures.Options(steps: 40), dropout: 0);
        trainer.Run();
        var model = (Course.Models.Gpt)trainer.Model;
        model.eval();
        using var onnx = new OnnxGpt(OnnxFixtures.Export(model, new(KvCache: kvCache), directory));
        int[] prompt = [3, 1, 4, 1, 5];
        var steps = OnnxFixtures.Config.BlockSize * 2; // crosses the block: the context is cropped, the cache rebuilt
        using var scope = NewDisposeScope();
        var expected = model.Generate(tensor(prompt.Select(i => (long)i).ToArray()).unsqueeze(0), steps, NextTokenSampler.Greedy)[0, prompt.Length..]
            .data<long>().Select(i => (int)i).ToArray();
        var actual = onnx.Continue(prompt, steps, logits => Array.IndexOf(logits, logits.Max())).ToArray();
        Assert.Equal(expected, actual);
        Assert.True(expected.Distinct().Count() > 2, $"the fixture should not repeat one token: {string.Join(",", expected)}");
    }

    [Fact]
    public void Int8_weights_compute_what_the_dequantised_model_computes()
    {
        var directory = TrainingFixtures.TempDirectory();
        using var model = OnnxFixtures.Model(seed: 11);
        var path = OnnxFixtures.Export(model, new(Int8Weights: true), directory);
        using var onnx = new OnnxGpt(path, int8Activations: false);
        using var fast = new OnnxGpt(path);
        using var dequantised = OnnxFixtures.Model(seed: 11);
        using (no_grad())
            foreach (var (name, p) in dequantised.named_parameters().Where(p => p.parameter.dim() == 2))
            {
                var (values, scales) = Int8Quantization.Quantize(p);
                using var restored = Int8Quantization.Dequantize(values, scales, p.shape[0], p.shape[1]);
                p.copy_(restored);
            }
        using var scope = NewDisposeScope();
        var ids = randint(OnnxFixtures.Config.VocabSize, [2, 9], dtype: ScalarType.Int64, generator: new Generator(3));
        var expected = dequantised.forward(ids).detach();
        var actual = tensor(onnx.Logits(ids.data<long>().ToArray(), 2, 9), expected.shape);
        var difference = (actual - expected).abs().max().item<float>();
        Assert.True(difference < 1e-4, $"int8 ONNX and dequantised TorchSharp differ by {difference}");
        Assert.True((expected - model.forward(ids).detach()).abs().max().item<float>() > 1e-4, "quantisation should change the logits a little");
        // With int8 activations too, the logits move by a few percent of their range, not more.
        var approximate = tensor(fast.Logits(ids.data<long>().ToArray(), 2, 9), expected.shape);
        Assert.True((approximate - expected).abs().max().item<float>() < 0.05 * expected.abs().max().item<float>());
    }

    [Fact]
    public void Exported_models_pass_the_onnx_checker()
    {
        var directory = TrainingFixtures.TempDirectory();
        using var model = OnnxFixtures.Model();
        foreach (var options in new OnnxExportOptions[] { new(), new(KvCache: true), new(Int8Weights: true), new(KvCache: true, Int8Weights: true) })
            OnnxChecker.Check(OnnxFixtures.Export(model, options, directory));
    }

    [Fact]
    public void Export_reads_a_checkpoint_by_its_weight_names_and_keeps_its_tokenizer()
    {
        var run = TrainingFixtures.TempDirectory();
        using (var trainer = TrainingFixtures.NewTrainer(TrainingFixtures.Options(steps: 2), run, dropout: 0)) trainer.Run();
        var checkpoint = Path.Combine(run, Course.Training.Trainer.LatestCheckpoint);
        var output = Path.Combine(run, "export");
        var path = OnnxExport.FromCheckpoint(checkpoint, output, new OnnxExportOptions(KvCache: true));
        OnnxChecker.Check(path);
        var (model, tokenizer, _) = Course.Training.Checkpoint.LoadModel(checkpoint, CPU);
        using (model)
        using (var onnx = new OnnxGpt(path))
        {
            var ids = tokenizer.Encode("the 3 cat sat").Select(i => (long)i).ToArray();
            using var scope = NewDisposeScope();
            var expected = model.forward(tensor(ids).unsqueeze(0)).detach();
            var actual = tensor(onnx.Logits(ids, 1, ids.Length), expected.shape);
            Assert.True((actual - expected).abs().max().item<float>() < 1e-4);
        }
        Assert.Equal(tokenizer.Encode("sat on"), TokenizerStore.Load(output).Encode("sat on"));
    }
}
