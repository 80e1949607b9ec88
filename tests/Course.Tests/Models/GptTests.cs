using Course.Evaluation;
using Course.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Course.Tests.Models;

public class GptTests
{
    private static readonly GptConfig Tiny = Course.Preset.Named("tiny").Model;

    private static Gpt NewModel(GptConfig config, long seed = 1)
    {
        manual_seed(seed);
        return new Gpt(config);
    }

    [Fact]
    public void Forward_gives_logits_per_position_and_loss_near_ln_vocab_at_initialisation()
    {
        using var scope = NewDisposeScope();
        var model = NewModel(Tiny);
        var idx = randint(Tiny.VocabSize, [4, Tiny.BlockSize], generator: new Generator(2));
        var targets = randint(Tiny.VocabSize, [4, Tiny.BlockSize], generator: new Generator(3));
        var (logits, loss) = model.forward(idx, targets);
        Assert.Equal(new long[] { 4, Tiny.BlockSize, Tiny.VocabSize }, logits.shape);
        Assert.InRange(loss.item<float>(), Math.Log(Tiny.VocabSize) - 0.1, Math.Log(Tiny.VocabSize) + 0.1);
    }

    [Fact]
    public void Logits_at_t_do_not_change_when_later_tokens_change()
    {
        using var scope = NewDisposeScope();
        var model = NewModel(Tiny);
        model.eval();
        var idx = randint(Tiny.VocabSize, [1, 12], generator: new Generator(4));
        var changed = idx.clone();
        changed[0, 7..] = (changed[0, 7..] + 1) % Tiny.VocabSize;
        var (a, b) = (model.forward(idx), model.forward(changed));
        Assert.True(a[0, ..7].allclose(b[0, ..7], rtol: 0, atol: 1e-6));
        Assert.False(a[0, 7..].allclose(b[0, 7..], rtol: 0, atol: 1e-4));
    }

    [Theory]
    [InlineData("gpt2", 124_439_808L)]
    [InlineData("gpt2-padded", 124_475_904L)]
    public void Gpt2_presets_have_the_published_parameter_counts(string preset, long expected)
    {
        var config = Course.Preset.Named(preset).Model;
        Assert.Equal(expected, config.ParameterCount());
        using var model = NewModel(config);
        Assert.Equal(expected, model.ParameterCount());
    }

    [Theory]
    [InlineData("tiny")]
    [InlineData("cpu-small")]
    [InlineData("shakespeare-char")]
    public void Formula_and_model_count_the_same_parameters(string preset)
    {
        var config = Course.Preset.Named(preset).Model;
        using var model = NewModel(config);
        Assert.Equal(config.ParameterCount(), model.ParameterCount());
        Assert.Equal(config.ParameterCount(includePositions: false), model.ParameterCount(includePositions: false));
        using var noBias = NewModel(config with { Bias = false });
        Assert.Equal((config with { Bias = false }).ParameterCount(), noBias.ParameterCount());
    }

    [Fact]
    public void Parameter_names_are_the_pytorch_module_names()
    {
        using var model = NewModel(Tiny);
        var names = model.named_parameters().Select(p => p.name).ToHashSet();
        foreach (var name in new[] { "transformer.wte.weight", "transformer.wpe.weight", "transformer.h.0.ln_1.weight",
                     "transformer.h.0.attn.c_attn.weight", "transformer.h.0.attn.c_proj.bias", "transformer.h.1.mlp.c_fc.weight",
                     "transformer.h.1.mlp.c_proj.weight", "transformer.ln_f.bias" })
            Assert.Contains(name, names);
        Assert.Equal(Tiny.NLayer * 12 + 4, names.Count);
    }

    [Fact]
    public void Residual_projections_are_initialised_with_the_smaller_std()
    {
        var config = Tiny with { NEmbd = 256, NHead = 4, NLayer = 8 };
        using var model = NewModel(config);
        var p = model.named_parameters().ToDictionary(x => x.name, x => x.parameter);
        Assert.InRange(p["transformer.h.3.attn.c_proj.weight"].std().item<float>(), 0.9 * 0.005, 1.1 * 0.005);
        Assert.InRange(p["transformer.h.3.mlp.c_fc.weight"].std().item<float>(), 0.9 * 0.02, 1.1 * 0.02);
        Assert.Equal(0.0, p["transformer.h.3.mlp.c_fc.bias"].abs().max().item<float>());
    }

    [Fact]
    public void A_tiny_model_overfits_one_batch()
    {
        using var scope = NewDisposeScope();
        var model = NewModel(Tiny with { NEmbd = 64, NHead = 4 });
        var x = randint(Tiny.VocabSize, [4, Tiny.BlockSize], generator: new Generator(5));
        var y = randint(Tiny.VocabSize, [4, Tiny.BlockSize], generator: new Generator(6));
        using var optimizer = optim.AdamW(model.parameters(), lr: 3e-3);
        float loss = float.NaN;
        for (int step = 0; step < 300 && !(loss < 0.1); step++)
        {
            using var stepScope = NewDisposeScope();
            optimizer.zero_grad();
            var l = model.forward(x, y).Loss;
            l.backward();
            optimizer.step();
            loss = l.item<float>();
        }
        Assert.True(loss < 0.1, $"loss after 300 steps: {loss}");
    }

    [Fact]
    public void Five_hundred_steps_in_per_step_dispose_scopes_leave_the_live_tensor_count_flat()
    {
        var model = NewModel(Tiny);
        using var x = randint(Tiny.VocabSize, [2, Tiny.BlockSize]);
        using var y = randint(Tiny.VocabSize, [2, Tiny.BlockSize]);
        using var optimizer = optim.AdamW(model.parameters(), lr: 1e-3);
        void Step()
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            model.forward(x, y).Loss.backward();
            optimizer.step();
        }
        for (int i = 0; i < 5; i++) Step(); // optimizer state and gradients are created on the first steps
        var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (int i = 0; i < 500; i++) Step();
        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void Generation_is_reproducible_for_a_seed_and_crops_the_context_to_the_block_size()
    {
        using var scope = NewDisposeScope();
        var model = NewModel(Tiny);
        var prompt = tensor(new long[] { 1, 2, 3 }).unsqueeze(0);
        var sampler = new NextTokenSampler(Temperature: 0.9, TopK: 20, TopP: 0.95);
        var a = model.Generate(prompt, 2 * Tiny.BlockSize, sampler, new Generator(7));
        var b = model.Generate(prompt, 2 * Tiny.BlockSize, sampler, new Generator(7));
        var c = model.Generate(prompt, 2 * Tiny.BlockSize, sampler, new Generator(8));
        Assert.Equal(3 + 2 * Tiny.BlockSize, a.size(1));
        Assert.Equal(Ids(a), Ids(b));
        Assert.NotEqual(Ids(a), Ids(c));
        Assert.Equal(Ids(prompt), Ids(a[.., ..3]));
    }

    private static long[] Ids(Tensor t) => t.data<long>().ToArray();

    [Fact]
    public void Invalid_configs_and_prompts_name_the_field_and_the_rule()
    {
        Assert.Contains("NEmbd (30) must be divisible by NHead (4)", Assert.Throws<ArgumentException>(() => new GptConfig(10, 8, 1, 4, 30).Validate()).Message);
        Assert.Contains("NLayer must be positive", Assert.Throws<ArgumentException>(() => new GptConfig(10, 8, 0, 2, 8).Validate()).Message);
        Assert.Contains("Dropout must be in [0, 1)", Assert.Throws<ArgumentException>(() => new GptConfig(10, 8, 1, 2, 8, Dropout: 1).Validate()).Message);
        Assert.Contains("Unknown preset 'huge'", Assert.Throws<UserError>(() => Course.Preset.Named("huge").Model).Message);
        using var model = NewModel(Tiny);
        using var tooLong = zeros([1, Tiny.BlockSize + 1], dtype: ScalarType.Int64);
        Assert.Contains("exceeds the block size", Assert.Throws<ArgumentException>(() => model.forward(tooLong)).Message);
        using var empty = zeros([1, 0], dtype: ScalarType.Int64);
        Assert.Contains("at least one token", Assert.Throws<ArgumentException>(() => model.Generate(empty, 1, new NextTokenSampler())).Message);
    }
}
