using Course.Evaluation;
using Course.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Course.Tests.Models;

/// <summary>Generation with the KV cache chooses what generation without it chooses, for both architectures.</summary>
public class KvCacheTests
{
    public static TheoryData<string> Presets => new() { "tiny", "llama-tiny" };

    private static LanguageModel NewModel(string preset, long seed = 1)
    {
        manual_seed(seed);
        var model = LanguageModel.Create(Course.Preset.Named(preset).Model);
        model.eval();
        return model;
    }

    [Theory]
    [MemberData(nameof(Presets))]
    public void Cached_and_uncached_greedy_generation_give_the_same_tokens(string preset)
    {
        using var scope = NewDisposeScope();
        using var model = NewModel(preset);
        var prompt = tensor(new long[] { 5, 9, 2, 7, 1, 3 }, dtype: ScalarType.Int64).reshape(2, 3);
        var blockSize = model.Config.BlockSize;
        var tokens = blockSize - 3; // the sequence ends exactly at the block size
        var cached = model.Generate(prompt, tokens, NextTokenSampler.Greedy, useCache: true);
        var uncached = model.Generate(prompt, tokens, NextTokenSampler.Greedy, useCache: false);
        Assert.Equal(Ids(uncached), Ids(cached));
    }

    [Theory]
    [MemberData(nameof(Presets))]
    public void Cached_logits_match_a_full_forward_pass_at_every_step(string preset)
    {
        using var scope = NewDisposeScope();
        using var model = NewModel(preset);
        using var noGrad = no_grad();
        var sequence = randint(model.Config.VocabSize, [2, model.Config.BlockSize], generator: new Generator(3));
        var full = model.call(sequence);
        using var cache = model.AttachKvCache(2);
        // A prompt of 4 tokens in one pass, then one token per step, as Generate feeds them.
        var first = model.NextTokenLogits(sequence[.., ..4]);
        Assert.True(first.allclose(full[.., 3, ..], rtol: 0, atol: 1e-5));
        for (int t = 4; t < model.Config.BlockSize; t++)
        {
            var step = model.NextTokenLogits(sequence[.., t..(t + 1)]);
            var difference = (step - full[.., t, ..]).abs().max().item<float>();
            Assert.True(difference < 1e-5, $"position {t}: cached logits differ from the full pass by {difference}");
        }
        Assert.Equal(model.Config.BlockSize, cache.Length);
    }

    [Theory]
    [MemberData(nameof(Presets))]
    public void Past_the_block_size_the_window_slides_and_both_ways_still_agree(string preset)
    {
        using var scope = NewDisposeScope();
        using var model = NewModel(preset);
        var prompt = tensor(new long[] { 1, 2, 3 }).unsqueeze(0);
        var tokens = 2 * model.Config.BlockSize;
        var cached = model.Generate(prompt, tokens, NextTokenSampler.Greedy, useCache: true);
        var uncached = model.Generate(prompt, tokens, NextTokenSampler.Greedy, useCache: false);
        Assert.Equal(3 + tokens, cached.size(1));
        Assert.Equal(Ids(uncached), Ids(cached));

        // As documented: past the block, the next token depends on the last BlockSize tokens alone.
        using var noGrad = no_grad();
        var window = cached[.., ^(model.Config.BlockSize + 1)..^1];
        var expected = model.call(window)[.., -1, ..].argmax(-1);
        Assert.Equal(expected.item<long>(), cached[0, -1].item<long>());
    }

    [Fact]
    public void Sampled_generation_is_the_same_with_and_without_the_cache_for_a_seed()
    {
        using var scope = NewDisposeScope();
        using var model = NewModel("tiny");
        var prompt = tensor(new long[] { 4, 8 }).unsqueeze(0);
        var sampler = new NextTokenSampler(Temperature: 0.9, TopK: 20);
        var cached = model.Generate(prompt, 10, sampler, new Generator(7), useCache: true);
        var uncached = model.Generate(prompt, 10, sampler, new Generator(7), useCache: false);
        Assert.Equal(Ids(uncached), Ids(cached));
    }

    [Fact]
    public void A_cache_holds_BlockSize_positions_of_each_layers_keys_and_values_and_is_detached_afterwards()
    {
        using var model = NewModel("llama-tiny");
        var c = model.Config;
        using (var cache = model.AttachKvCache(3))
        {
            // Grouped-query attention caches its n_kv_head heads only.
            Assert.Equal(2L * c.NLayer * 3 * c.KvHeads * c.BlockSize * c.HeadSize * sizeof(float), cache.Bytes);
            Assert.All(model.AttentionLayers, layer => Assert.NotNull(layer.Cache));
            Assert.Throws<InvalidOperationException>(() => model.AttachKvCache(1));
        }
        Assert.All(model.AttentionLayers, layer => Assert.Null(layer.Cache));
    }

    [Fact]
    public void Feeding_past_the_cache_capacity_is_refused_with_the_fix()
    {
        using var scope = NewDisposeScope();
        using var model = NewModel("tiny");
        using var cache = model.AttachKvCache(1);
        using var noGrad = no_grad();
        model.NextTokenLogits(zeros([1, model.Config.BlockSize], dtype: ScalarType.Int64));
        var e = Assert.Throws<ArgumentException>(() => model.NextTokenLogits(zeros([1, 1], dtype: ScalarType.Int64)));
        Assert.Contains("reset the KV cache and crop the input", e.Message);
    }

    private static long[] Ids(Tensor t) => t.data<long>().ToArray();
}
