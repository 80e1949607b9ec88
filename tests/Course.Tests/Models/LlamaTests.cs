using Course.Attention;
using Course.Models;
using Course.Tests.Training;
using Course.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Course.Tests.Models;

public class LlamaTests
{
    private static readonly GptConfig Tiny = Course.Preset.Named("llama-tiny").Model;

    [Fact]
    public void RmsNorm_is_x_over_the_root_mean_square_times_the_gain()
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        var norm = new RmsNorm(6, eps: 1e-5);
        using (no_grad()) norm.parameters().Single().copy_(tensor(new float[] { 1, 2, 0.5f, -1, 3, 0 }));
        var x = randn(2, 3, 6);
        var rms = (x.square().sum(-1, keepdim: true) / 6 + 1e-5).sqrt();
        var byFormula = x / rms * tensor(new float[] { 1, 2, 0.5f, -1, 3, 0 });
        Assert.True(norm.call(x).allclose(byFormula, rtol: 0, atol: 1e-6));
    }

    [Theory]
    [InlineData("llama-tiny")]
    [InlineData("llama-cpu-small")]
    public void Formula_and_model_count_the_same_parameters(string preset)
    {
        var config = Course.Preset.Named(preset).Model;
        manual_seed(1);
        using var model = LanguageModel.Create(config);
        Assert.IsType<Llama>(model);
        Assert.Equal(config.ParameterCount(), model.ParameterCount());
        Assert.Equal(config.ParameterCount(), model.ParameterCount(includePositions: false)); // RoPE has no parameters
        using var mha = LanguageModel.Create(config with { NKvHead = null, IntermediateSize = null });
        Assert.Equal((config with { NKvHead = null, IntermediateSize = null }).ParameterCount(), mha.ParameterCount());
    }

    [Theory]
    [InlineData("tiny", "llama-tiny")]
    [InlineData("cpu-small", "llama-cpu-small")]
    public void Each_llama_preset_has_its_gpt_twins_size_and_recipe(string gpt, string llama)
    {
        var (g, l) = (Course.Preset.Named(gpt), Course.Preset.Named(llama));
        Assert.Equal(Architecture.Llama, l.Architecture);
        Assert.Equal(Architecture.Gpt, g.Architecture);
        Assert.InRange((double)l.Model.ParameterCount() / g.Model.ParameterCount(), 0.99, 1.01);
        Assert.Equal(g.Training, l.Training);
        Assert.Equal((g.Model.NLayer, g.Model.NEmbd, g.Model.NHead, g.Model.BlockSize), (l.Model.NLayer, l.Model.NEmbd, l.Model.NHead, l.Model.BlockSize));
    }

    [Fact]
    public void Names_are_hugging_faces_llama_names_and_nothing_has_a_bias()
    {
        manual_seed(1);
        using var model = LanguageModel.Create(Tiny);
        var names = model.named_parameters().Select(p => p.name).ToList();
        foreach (var name in new[] { "model.embed_tokens.weight", "model.layers.0.input_layernorm.weight", "model.layers.0.self_attn.q_proj.weight",
                     "model.layers.0.self_attn.k_proj.weight", "model.layers.0.self_attn.o_proj.weight", "model.layers.1.mlp.gate_proj.weight",
                     "model.layers.1.mlp.up_proj.weight", "model.layers.1.mlp.down_proj.weight", "model.layers.1.post_attention_layernorm.weight", "model.norm.weight" })
            Assert.Contains(name, names);
        Assert.DoesNotContain(names, n => n.EndsWith(".bias"));
        Assert.Equal(Tiny.NLayer * 9 + 2, names.Count);
        Assert.Equal(new long[] { Tiny.KvHeads * Tiny.HeadSize, Tiny.NEmbd }, model.named_parameters().Single(p => p.name == "model.layers.0.self_attn.k_proj.weight").parameter.shape);
    }

    [Fact]
    public void The_trainer_trains_it_and_a_checkpoint_brings_it_back()
    {
        using var folder = new Course.Tests.Data.TempDirectory();
        var corpus = TrainingFixtures.Corpus();
        var tokenizer = Course.Data.CharTokenizer.FromText(corpus.Text);
        var options = Course.Preset.Named("llama-tiny").Training with { MaxSteps = 30, EvalInterval = 10, EvalBatches = 2, BatchSize = 8 };
        using var trainer = new Trainer(Tiny with { VocabSize = tokenizer.VocabSize }, corpus, tokenizer, options, CPU, folder.Path);
        var losses = new List<double>();
        trainer.StepCompleted += s => losses.Add(s.Loss);
        trainer.Run();
        Assert.IsType<Llama>(trainer.Model);
        Assert.True(losses[^1] < losses[0] - 0.5, $"loss {losses[0]:F3} → {losses[^1]:F3}");

        var (loaded, _, manifest) = Checkpoint.LoadModel(Path.Combine(folder.Path, Trainer.LatestCheckpoint), CPU);
        using (loaded)
        {
            Assert.Equal(Architecture.Llama, manifest.Config.Architecture);
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var idx = tensor(new long[] { 1, 2, 3, 4 }).unsqueeze(0);
            trainer.Model.eval();
            Assert.True(loaded.call(idx).allclose(trainer.Model.call(idx), rtol: 0, atol: 1e-6));
        }
    }

    [Fact]
    public void Invalid_llama_configs_name_the_rule()
    {
        Assert.Contains("no biases", Assert.Throws<ArgumentException>(() => (Tiny with { Bias = true }).Validate()).Message);
        Assert.Contains("NKvHead (3) must divide NHead (2)", Assert.Throws<ArgumentException>(() => (Tiny with { NKvHead = 3 }).Validate()).Message);
        Assert.Contains("head size NEmbd / NHead must be even", Assert.Throws<ArgumentException>(() => (Tiny with { NEmbd = 6, NHead = 2 }).Validate()).Message);
        Assert.Contains("belong to the Llama architecture", Assert.Throws<UserError>(() => (Course.Preset.Named("tiny").Model with { NKvHead = 1 }).Validate()).Message);
        Assert.Contains("make its model with LanguageModel.Create", Assert.Throws<ArgumentException>(() => new Gpt(Tiny)).Message);
    }

    [Fact]
    public void A_sweep_can_vary_the_key_value_heads_of_a_llama_preset_only()
    {
        var (config, _) = Course.Experiments.Hyperparameters.Apply(Tiny with { NHead = 4, NKvHead = 1 }, new TrainingOptions(), new Dictionary<string, double> { ["n_kv_head"] = 2 });
        Assert.Equal(2, config.KvHeads);
        var gpt = Course.Preset.Named("tiny").Model;
        Assert.Contains("belong to the Llama architecture", Assert.Throws<UserError>(() =>
            Course.Experiments.Hyperparameters.Apply(gpt, new TrainingOptions(), new Dictionary<string, double> { ["n_kv_head"] = 1 })).Message);
    }

    [Fact]
    public void Configs_from_before_llama_read_as_gpt_and_write_without_llamas_fields()
    {
        var old = System.Text.Json.JsonSerializer.Deserialize<GptConfig>("""{"VocabSize":65,"BlockSize":16,"NLayer":2,"NHead":2,"NEmbd":32,"Dropout":0,"Bias":true}""")!;
        Assert.Equal(Architecture.Gpt, old.Architecture);
        var json = System.Text.Json.JsonSerializer.Serialize(Course.Preset.Named("tiny").Model);
        Assert.Contains("\"Architecture\":\"Gpt\"", json);
        Assert.DoesNotContain("NKvHead", json);
        Assert.Equal(Tiny, System.Text.Json.JsonSerializer.Deserialize<GptConfig>(System.Text.Json.JsonSerializer.Serialize(Tiny)));
    }
}
