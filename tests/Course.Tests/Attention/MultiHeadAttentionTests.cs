using Course.Attention;
using TorchSharp;
using static TorchSharp.torch;

namespace Course.Tests.Attention;

public class MultiHeadAttentionTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Output_keeps_the_input_shape_and_matches_the_explicit_path(bool fusedQkv)
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        var mha = new MultiHeadAttention(dModel: 16, nHead: 4, causal: true, fusedQkv: fusedQkv);
        mha.eval();
        var x = randn(2, 6, 16);
        var y = mha.forward(x);
        var (yExplicit, weights) = mha.ForwardWithWeights(x);
        Assert.Equal(new long[] { 2, 6, 16 }, y.shape);
        Assert.Equal(new long[] { 2, 4, 6, 6 }, weights.shape);
        Assert.True(y.allclose(yExplicit, rtol: 0, atol: 1e-5));
    }

    [Fact]
    public void Causal_attention_output_at_t_ignores_inputs_after_t()
    {
        using var scope = NewDisposeScope();
        manual_seed(2);
        var mha = new MultiHeadAttention(dModel: 16, nHead: 2, causal: true);
        mha.eval();
        var x = randn(1, 8, 16);
        var changed = x.clone();
        changed[0, 5..] = randn(3, 16);
        var (a, b) = (mha.forward(x), mha.forward(changed));
        Assert.True(a[0, ..5].allclose(b[0, ..5], rtol: 0, atol: 1e-6));
        Assert.False(a[0, 5..].allclose(b[0, 5..], rtol: 0, atol: 1e-3));
    }

    [Fact]
    public void Width_not_divisible_by_heads_is_rejected_with_the_rule()
    {
        var error = Assert.Throws<ArgumentException>(() => new MultiHeadAttention(dModel: 10, nHead: 3));
        Assert.Contains("divisible by n_head", error.Message);
    }
}
