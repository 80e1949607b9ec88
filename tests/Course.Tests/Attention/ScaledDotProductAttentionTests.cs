using Course.Attention;
using TorchSharp;
using static TorchSharp.torch;

namespace Course.Tests.Attention;

public class ScaledDotProductAttentionTests
{
    private static (Tensor q, Tensor k, Tensor v) RandomQkv(long seed, long L = 5, long S = 5)
    {
        var g = new Generator((ulong)seed);
        return (randn([2, 3, L, 8], generator: g), randn([2, 3, S, 8], generator: g), randn([2, 3, S, 4], generator: g));
    }

    [Fact]
    public void Weights_rows_sum_to_one_and_output_is_weighted_sum_of_values()
    {
        using var scope = NewDisposeScope();
        var (q, k, v) = RandomQkv(1);
        var (output, weights) = ScaledDotProductAttention.Explicit(q, k, v);
        Assert.True(weights.sum(-1).allclose(ones(2, 3, 5), atol: 1e-6));
        var byHand = (q.matmul(k.transpose(-2, -1)) / Math.Sqrt(8)).softmax(-1).matmul(v);
        Assert.True(output.allclose(byHand, atol: 1e-6));
    }

    [Fact]
    public void Masked_positions_get_zero_weight_for_boolean_additive_and_causal_masks()
    {
        using var scope = NewDisposeScope();
        var (q, k, v) = RandomQkv(2);
        var allowed = rand([5, 5], generator: new Generator(3)) > 0.4;
        allowed[.., 0] = tensor(true); // every row keeps one key, so no row is fully masked here
        var additive = zeros(5, 5).masked_fill(allowed.logical_not(), double.NegativeInfinity);

        var (_, boolWeights) = ScaledDotProductAttention.Explicit(q, k, v, allowed);
        var (_, addWeights) = ScaledDotProductAttention.Explicit(q, k, v, additive);
        var (_, causalWeights) = ScaledDotProductAttention.Explicit(q, k, v, causal: true);

        Assert.Equal(0.0, boolWeights.masked_select(allowed.logical_not().expand_as(boolWeights)).abs().max().item<float>());
        Assert.True(boolWeights.allclose(addWeights, atol: 1e-7));
        var future = ones(5, 5, dtype: ScalarType.Bool).triu(1);
        Assert.Equal(0.0, causalWeights.masked_select(future.expand_as(causalWeights)).abs().max().item<float>());
        Assert.True(causalWeights.sum(-1).allclose(ones(2, 3, 5), atol: 1e-6));
    }

    public static TheoryData<string> MaskKinds => new() { "none", "bool", "additive", "causal", "bool+causal" };

    [Theory]
    [MemberData(nameof(MaskKinds))]
    public void Explicit_and_fused_agree_on_outputs_and_gradients(string maskKind)
    {
        using var scope = NewDisposeScope();
        var (q0, k0, v0) = RandomQkv(4);
        var allowed = rand([2, 1, 5, 5], generator: new Generator(5)) > 0.3;
        allowed[.., .., .., 0] = tensor(true);
        Tensor? mask = maskKind switch
        {
            "bool" or "bool+causal" => allowed,
            "additive" => randn([5, 5], generator: new Generator(6)).masked_fill(allowed[0, 0].logical_not(), double.NegativeInfinity),
            _ => null,
        };
        var causal = maskKind.Contains("causal");

        var (outE, gradsE) = RunWithGradients(q0, k0, v0, (q, k, v) => ScaledDotProductAttention.Explicit(q, k, v, mask, causal).Output);
        var (outF, gradsF) = RunWithGradients(q0, k0, v0, (q, k, v) => ScaledDotProductAttention.Fused(q, k, v, mask, causal));

        Assert.True(outE.allclose(outF, rtol: 0, atol: 1e-5), $"outputs differ by {(outE - outF).abs().max().item<float>()}");
        for (int i = 0; i < 3; i++)
            Assert.True(gradsE[i].allclose(gradsF[i], rtol: 0, atol: 1e-5), $"gradient {i} differs by {(gradsE[i] - gradsF[i]).abs().max().item<float>()}");
    }

    [Fact]
    public void Fully_masked_rows_give_zero_output_and_finite_gradients_in_both_paths()
    {
        using var scope = NewDisposeScope();
        var (q0, k0, v0) = RandomQkv(7);
        var allowed = ones([5, 5], dtype: ScalarType.Bool);
        allowed[2] = tensor(false); // query 2 may attend to nothing
        var additive = zeros(5, 5).masked_fill(allowed.logical_not(), double.NegativeInfinity);

        foreach (var mask in new[] { allowed, additive })
        {
            var (outE, gradsE) = RunWithGradients(q0, k0, v0, (q, k, v) => ScaledDotProductAttention.Explicit(q, k, v, mask).Output);
            var (outF, gradsF) = RunWithGradients(q0, k0, v0, (q, k, v) => ScaledDotProductAttention.Fused(q, k, v, mask));
            foreach (var t in new[] { outE, outF }.Concat(gradsE).Concat(gradsF))
                Assert.False(t.isnan().any().item<bool>());
            Assert.Equal(0.0, outE[.., .., 2].abs().max().item<float>());
            Assert.Equal(0.0, outF[.., .., 2].abs().max().item<float>());
            Assert.True(outE.allclose(outF, rtol: 0, atol: 1e-5));
        }
        var (_, weights) = ScaledDotProductAttention.Explicit(q0, k0, v0, allowed);
        Assert.Equal(0.0, weights[.., .., 2].abs().max().item<float>());
    }

    [Fact]
    public void Causal_mask_aligns_to_the_end_when_there_are_more_keys_than_queries()
    {
        using var mask = ScaledDotProductAttention.CausalMask(2, 4);
        Assert.Equal(new[] { true, true, true, false, true, true, true, true }, mask.flatten().data<bool>().ToArray());
    }

    private static (Tensor Output, Tensor[] Gradients) RunWithGradients(Tensor q0, Tensor k0, Tensor v0, Func<Tensor, Tensor, Tensor, Tensor> attention)
    {
        var (q, k, v) = (q0.clone().requires_grad_(), k0.clone().requires_grad_(), v0.clone().requires_grad_());
        var output = attention(q, k, v);
        // A fixed random upstream gradient exercises every output element differently.
        (output * randn(output.shape, generator: new Generator(99))).sum().backward();
        return (output.detach(), [q.grad!, k.grad!, v.grad!]);
    }
}
