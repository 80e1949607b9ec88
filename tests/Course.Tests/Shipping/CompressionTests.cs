using Course.Shipping.Compression;
using Course.Tests.Training;
using static TorchSharp.torch;

namespace Course.Tests.Shipping;

public class CompressionTests
{
    [Fact]
    public void Int8_rounding_stays_within_half_a_step_per_row_and_a_zero_row_stays_zero()
    {
        using var scope = NewDisposeScope();
        var w = randn([6, 10], generator: new Generator(1)) * tensor(new float[] { 0.01f, 0.1f, 1, 10, 100, 0 }).unsqueeze(1);
        var (values, scales) = Int8Quantization.Quantize(w);
        var restored = Int8Quantization.Dequantize(values, scales, 6, 10);
        var error = (restored - w).abs().amax([1]);
        Assert.True((error <= tensor(scales) / 2 + 1e-6f).all().item<bool>());
        Assert.Equal(127, values.Skip(30).Take(10).Max(v => Math.Abs((int)v))); // the largest weight of a row maps to ±127
        Assert.True(restored[5].eq(0).all().item<bool>());
    }

    [Fact]
    public void Pruning_zeroes_the_smallest_weights_of_block_matrices_only()
    {
        using var model = OnnxFixtures.Model();
        using var embeddingBefore = model.named_parameters().First(p => p.name == "transformer.wte.weight").parameter.clone();
        var block = model.named_parameters().First(p => p.name == "transformer.h.0.mlp.c_fc.weight").parameter;
        using var survivorsMin = block.abs().flatten().sort().Values[TensorIndex.Slice(block.numel() / 2)].min();
        MagnitudePruning.Prune(model, 0.5);
        Assert.InRange(MagnitudePruning.Sparsity(model), 0.49, 0.51);
        using var kept = block.abs().masked_select(block.ne(0)).min();
        Assert.True(kept.item<float>() >= survivorsMin.item<float>() - 1e-7f, "the weights kept are the largest ones");
        Assert.True(model.named_parameters().First(p => p.name == "transformer.wte.weight").parameter.allclose(embeddingBefore, rtol: 0, atol: 0));
    }

    [Fact]
    public void Soft_target_loss_is_zero_for_the_teacher_itself_and_positive_otherwise()
    {
        using var scope = NewDisposeScope();
        var teacher = randn([2, 5, 7], generator: new Generator(2));
        Assert.True(Distillation.SoftTargetLoss(teacher, teacher, 2.0).item<float>() < 1e-6);
        Assert.True(Distillation.SoftTargetLoss(randn([2, 5, 7], generator: new Generator(3)), teacher, 2.0).item<float>() > 0.01);
    }

    [Fact]
    public void A_distilled_student_and_one_trained_alone_start_alike_and_learn()
    {
        using var trainer = TrainingFixtures.NewTrainer(TrainingFixtures.Options(steps: 20), dropout: 0);
        trainer.Run();
        var config = trainer.Model.Config with { NLayer = 1, NEmbd = 16 };
        var options = new DistillationOptions(Steps: 10, BatchSize: 4);
        using var alone = Distillation.TrainStudent(config, trainer.Data, teacher: null, options);
        using var distilled = Distillation.TrainStudent(config, trainer.Data, (Course.Models.Gpt)trainer.Model, options);
        using var again = Distillation.TrainStudent(config, trainer.Data, teacher: null, options);
        Assert.True(alone.parameters().Zip(again.parameters()).All(p => p.First.allclose(p.Second, rtol: 0, atol: 0)), "same seed, same student");
        Assert.False(alone.parameters().Zip(distilled.parameters()).All(p => p.First.allclose(p.Second, rtol: 0, atol: 0)), "the teacher changes the training");
    }
}
