using Course.Data;
using Course.FineTuning;
using Course.FineTuning.Lora;
using Course.Models;
using Course.Tests.Data;
using Course.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Course.Tests.FineTuning;

public class LoraTests
{
    private static readonly GptConfig Gpt2Like = new(VocabSize: 12, BlockSize: 8, NLayer: 2, NHead: 2, NEmbd: 16);
    private static readonly GptConfig LlamaLike = Gpt2Like with { Architecture = Architecture.Llama, NKvHead = 1, Bias = false };
    private static readonly LoraConfig Attention = new(Rank: 4, Alpha: 8, Dropout: 0.0, Targets: ["attn"]);

    public static TheoryData<string> Architectures => new() { "gpt", "llama" };

    private static LanguageModel Make(string architecture, int seed)
    {
        manual_seed(seed);
        var model = LanguageModel.Create(architecture == "gpt" ? Gpt2Like : LlamaLike);
        model.eval();
        return model;
    }

    /// <summary>B = N(0, 0.1) instead of zeros, so that the adapters change the output.</summary>
    private static void Randomise(LoraAdapters adapters)
    {
        using var noGrad = no_grad();
        foreach (var layer in adapters.Layers) layer.B.normal_(0, 0.1);
    }

    [Theory, MemberData(nameof(Architectures))]
    public void Zero_initialised_B_leaves_the_logits_bit_identical(string architecture)
    {
        using var model = Make(architecture, 1);
        using var scope = NewDisposeScope();
        var idx = randint(12, [2, 6]);
        var before = model.call(idx);
        using var adapters = LoraAdapters.Apply(model, Attention with { Targets = ["attn", "mlp"] });
        Assert.Equal(0, before.not_equal(model.call(idx)).sum().item<long>());
        // A is not zero (Kaiming-uniform): only B's zeros make the update vanish.
        Assert.All(adapters.Layers, l => Assert.True(l.A.abs().max().item<float>() > 0));
    }

    [Theory, MemberData(nameof(Architectures))]
    public void Merged_equals_unmerged_and_unmerge_restores_the_weights(string architecture)
    {
        using var model = Make(architecture, 2);
        using var adapters = LoraAdapters.Apply(model, Attention with { Targets = ["attn", "mlp"] });
        Randomise(adapters);
        using var scope = NewDisposeScope();
        var idx = randint(12, [2, 6]);
        var plain = model.parameters().Select(p => p.detach().clone()).ToList();
        var unmerged = model.call(idx);
        adapters.Merge();
        var merged = model.call(idx);
        Assert.False(plain.Zip(model.parameters()).All(p => p.First.allclose(p.Second, rtol: 0, atol: 0)));   // the weights did change
        Assert.True(merged.allclose(unmerged, rtol: 1e-5, atol: 1e-5), $"max difference {(merged - unmerged).abs().max().item<float>()}");
        adapters.Unmerge();
        Assert.All(plain.Zip(model.parameters()), p => Assert.True(p.First.allclose(p.Second, rtol: 0, atol: 1e-6)));
        Assert.True(model.call(idx).allclose(unmerged, rtol: 1e-5, atol: 1e-5));
    }

    [Theory, MemberData(nameof(Architectures))]
    public void Only_the_adapters_receive_gradients(string architecture)
    {
        using var model = Make(architecture, 3);
        using var adapters = LoraAdapters.Apply(model, Attention);
        Randomise(adapters);
        model.train();
        using var scope = NewDisposeScope();
        var (_, loss) = model.forward(randint(12, [2, 6]), randint(12, [2, 6]));
        loss.backward();
        Assert.All(model.named_parameters(), p => Assert.True(p.parameter.grad is null, $"{p.name} has a gradient"));
        Assert.All(adapters.NamedParameters, p => Assert.True(p.Parameter.grad is { } g && g.abs().sum().item<float>() > 0, $"{p.Name} has no gradient"));
    }

    [Fact]
    public void The_trainable_count_is_r_times_in_plus_out_summed_over_the_adapted_layers()
    {
        using var gpt = Make("gpt", 4);
        using var adapters = LoraAdapters.Apply(gpt, Attention with { Targets = ["attn", "mlp"] });
        // Per GPT block (d = 16, r = 4): c_attn 16→48, attn.c_proj 16→16, c_fc 16→64, mlp.c_proj 64→16.
        long perBlock = 4 * ((16 + 48) + (16 + 16) + (16 + 64) + (64 + 16));
        Assert.Equal(2 * perBlock, adapters.TrainableCount);
        Assert.Equal(8, adapters.Layers.Count);
        var fraction = (double)adapters.TrainableCount / (gpt.ParameterCount() + adapters.TrainableCount);
        Console.WriteLine($"LoRA r=4 on attn+mlp of a 2×16 GPT: {adapters.TrainableCount:N0} trainable of {gpt.ParameterCount() + adapters.TrainableCount:N0} ({fraction:P2})");
        Assert.InRange(fraction, 0.01, 0.99);
        Assert.All(gpt.parameters(), p => Assert.False(p.requires_grad));

        using var llama = Make("llama", 4);
        using var llamaAdapters = LoraAdapters.Apply(llama, Attention);
        // Per Llama layer (d = 16, 2 heads of 8, 1 KV head): q 16→16, k 16→8, v 16→8, o 16→16.
        Assert.Equal(2 * 4 * ((16 + 16) + (16 + 8) + (16 + 8) + (16 + 16)), llamaAdapters.TrainableCount);
    }

    [Fact]
    public void Targets_pick_the_attention_or_the_MLP_projections_by_module_path()
    {
        using var gpt = Make("gpt", 5);
        using (var attn = LoraAdapters.Apply(gpt, Attention))
            Assert.Equal(["transformer.h.0.attn.c_attn", "transformer.h.0.attn.c_proj", "transformer.h.1.attn.c_attn", "transformer.h.1.attn.c_proj"], attn.Layers.Select(l => l.Path));
        using (var mlp = LoraAdapters.Apply(gpt, Attention with { Targets = ["mlp"] }))
            Assert.Equal(["transformer.h.0.mlp.c_fc", "transformer.h.0.mlp.c_proj", "transformer.h.1.mlp.c_fc", "transformer.h.1.mlp.c_proj"], mlp.Layers.Select(l => l.Path));
        using var llama = Make("llama", 5);
        using (var single = LoraAdapters.Apply(llama, Attention with { Targets = ["self_attn.v_proj"] }))
            Assert.Equal(["model.layers.0.self_attn.v_proj", "model.layers.1.self_attn.v_proj"], single.Layers.Select(l => l.Path));
        Assert.Contains("Known targets", Assert.Throws<UserError>(() => (Attention with { Targets = ["qkv"] }).Validate()).Message);
        Assert.Contains("No layer", Assert.Throws<UserError>(() => LoraAdapters.Apply(llama, Attention with { Targets = ["attn.c_attn"] })).Message);
        Assert.Contains("at least 1", Assert.Throws<UserError>(() => (Attention with { Rank = 0 }).Validate()).Message);
    }

    [Fact]
    public void Saved_adapters_have_PEFT_names_and_load_back_to_the_same_outputs_on_the_same_base_only()
    {
        using var folder = new TempDirectory();
        using var model = Make("gpt", 6);
        using var scope = NewDisposeScope();
        var idx = randint(12, [2, 6]);
        Tensor adapted;
        using (var adapters = LoraAdapters.Apply(model, Attention with { Targets = ["attn", "mlp"] }))
        {
            Randomise(adapters);
            adapted = model.call(idx);
            PeftAdapterFiles.Save(folder.Path, adapters, "runs/base/checkpoints/best", "aa11");
        }
        using (var file = SafeTensors.Read(folder.File(PeftAdapterFiles.WeightsFile)))
        {
            Assert.Contains("base_model.model.transformer.h.0.attn.c_attn.lora_A.weight", file.Tensors.Keys);
            Assert.Equal([4L, 16], file.Tensors["base_model.model.transformer.h.0.attn.c_attn.lora_A.weight"].shape);
            Assert.Equal([48L, 4], file.Tensors["base_model.model.transformer.h.0.attn.c_attn.lora_B.weight"].shape);
            Assert.Equal(16, file.Tensors.Count);
            Assert.Equal("aa11", file.Metadata[PeftAdapterFiles.BaseHashKey]);
        }
        using (var config = System.Text.Json.JsonDocument.Parse(File.ReadAllText(folder.File(PeftAdapterFiles.ConfigFile))))
        {
            var root = config.RootElement;
            Assert.Equal("LORA", root.GetProperty("peft_type").GetString());
            Assert.Equal(4, root.GetProperty("r").GetInt32());
            Assert.Equal(8, root.GetProperty("lora_alpha").GetDouble());
            Assert.Equal(0, root.GetProperty("lora_dropout").GetDouble());
            Assert.Equal(["attn.c_attn", "attn.c_proj", "mlp.c_fc", "mlp.c_proj"], root.GetProperty("target_modules").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal("runs/base/checkpoints/best", root.GetProperty("base_model_name_or_path").GetString());
        }
        // Disposed adapters leave the plain model: the outputs differ until the adapters are loaded again.
        Assert.False(model.call(idx).allclose(adapted));
        using (var loaded = PeftAdapterFiles.Load(folder.Path, model, "aa11"))
            Assert.True(model.call(idx).allclose(adapted, rtol: 0, atol: 0));
        var refused = Assert.Throws<UserError>(() => PeftAdapterFiles.Load(folder.Path, model, "bb22"));
        Assert.Contains("aa11", refused.Message);
        Assert.Contains("bb22", refused.Message);
        Assert.False(model.call(idx).allclose(adapted));   // a refused load adds no hooks
    }

    [Fact]
    public void A_LoRA_classifier_trains_only_adapters_and_head_and_reloads_with_the_adapters_merged()
    {
        using var folder = new TempDirectory();
        var task = GptClassifierTests.ToyTask();
        var tokenizer = new CharTokenizer("ab x");
        var config = Gpt2Like with { VocabSize = 4 };
        // A real base checkpoint, as `course finetune` reads it: the run records its weights file's SHA-256.
        manual_seed(7);
        using (var pretrained = LanguageModel.Create(config))
        using (var optimizer = new AdamW(pretrained.named_parameters()))
            Checkpoint.Save(folder.File("base"), new Checkpoint.Manifest(Checkpoint.FormatVersion, 0, null, config, new TrainingOptions(), "toy", "00", []), optimizer, [], tokenizer);
        var (body, _, baseManifest) = Checkpoint.LoadModel(folder.File("base"), CPU);
        using var model = new GptClassifier(body, 2);
        var bodyBefore = body.parameters().Select(p => p.detach().clone()).ToList();
        var options = new FineTuneOptions
        {
            Lora = Attention with { Targets = ["attn", "mlp"] },
            Training = new TrainingOptions { MaxSteps = 20, BatchSize = 8, LearningRate = 3e-2, MinLearningRate = 3e-3, WarmupSteps = 0, EvalInterval = 20, EvalBatches = 1 },
        };
        var encoder = new SequenceEncoder(tokenizer, 8);
        var run = folder.File("run");
        int[] predictions;
        using (var trainer = new ClassifierTrainer(model, encoder, task, options, CPU))
        {
            var adapters = trainer.Adapters!;
            Assert.Equal(adapters.TrainableCount + 16 * 2 + 2, trainer.ParameterCounts.Trainable);
            trainer.Run();
            Assert.All(body.parameters().Zip(bodyBefore), p => Assert.True(p.First.allclose(p.Second, rtol: 0, atol: 0)));
            Assert.Contains(adapters.Layers, l => l.B.abs().max().item<float>() > 0);   // B left zero
            predictions = ClassifierTrainer.Predict(model, encoder, task.Test, CPU).Predictions;
            ClassifierCheckpoint.Save(run, model, new ClassifierCheckpoint.Manifest(task.Name, task.Labels, config, model.Pooling, folder.File("base"), 20,
                SourceSha256: baseManifest.Files[Checkpoint.ModelFile].Sha256), tokenizer, adapters);
        }
        using (var saved = SafeTensors.Read(Path.Combine(run, ClassifierCheckpoint.WeightsFile)))
            Assert.Equal(["head.bias", "head.weight"], saved.Tensors.Keys.Order());   // the body is the base checkpoint's
        var (loaded, loadedTokenizer, manifest) = ClassifierCheckpoint.Load(run, CPU);
        using (loaded)
        {
            Assert.NotNull(manifest.Lora);
            Assert.Equal(predictions, ClassifierTrainer.Predict(loaded, new SequenceEncoder(loadedTokenizer, 8), task.Test, CPU).Predictions);
        }
    }
}
