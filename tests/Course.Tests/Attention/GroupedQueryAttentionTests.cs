using Course.Attention;
using TorchSharp;
using static TorchSharp.torch;

namespace Course.Tests.Attention;

public class GroupedQueryAttentionTests
{
    [Fact]
    public void With_one_key_value_head_per_query_head_it_is_multi_head_attention()
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        var gqa = new GroupedQueryAttention(dModel: 16, nHead: 4, nKvHead: 4);
        var mha = new MultiHeadAttention(dModel: 16, nHead: 4, causal: true, fusedQkv: false, bias: false);
        var weights = gqa.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        using (no_grad())
            foreach (var (name, parameter) in mha.named_parameters())
                parameter.copy_(weights[name == "c_proj.weight" ? "o_proj.weight" : name]);
        var x = randn(2, 7, 16);
        Assert.True(gqa.call(x).allclose(mha.call(x), rtol: 0, atol: 1e-6));
    }

    [Fact]
    public void Each_key_value_head_serves_its_group_of_query_heads()
    {
        using var scope = NewDisposeScope();
        manual_seed(2);
        var gqa = new GroupedQueryAttention(dModel: 16, nHead: 4, nKvHead: 2);
        var qProj = gqa.named_parameters().Single(p => p.name == "q_proj.weight").parameter;
        Assert.Equal(new long[] { 8, 16 }, gqa.named_parameters().Single(p => p.name == "k_proj.weight").parameter.shape);
        // Query heads 0, 1 and 2 ask the same question (d_k = 4 rows each). Heads 0 and 1 share key group 0, so they
        // weigh the positions alike; head 2 reads group 1's keys and weighs them differently.
        using (no_grad())
        {
            qProj[4..8] = qProj[0..4];
            qProj[8..12] = qProj[0..4];
        }
        var (_, weights) = gqa.ForwardWithWeights(randn(1, 5, 16));
        Assert.Equal(new long[] { 1, 4, 5, 5 }, weights.shape);
        Assert.True(weights[0, 0].allclose(weights[0, 1], rtol: 0, atol: 1e-6));
        Assert.False(weights[0, 0].allclose(weights[0, 2], rtol: 0, atol: 1e-3));
        Assert.Contains("n_kv_head (3) must divide n_head (4)", Assert.Throws<ArgumentException>(() => new GroupedQueryAttention(dModel: 16, nHead: 4, nKvHead: 3)).Message);
    }

    [Fact]
    public void RoPE_scores_depend_only_on_the_relative_position()
    {
        using var scope = NewDisposeScope();
        var rope = new RotaryEmbedding(headSize: 8, maxPositions: 64);
        var (q, k) = (randn(1, 8, generator: new Generator(3)), randn(1, 8, generator: new Generator(4)));
        float Score(int m, int n) => (rope.Rotate(q, m) * rope.Rotate(k, n)).sum().item<float>();
        foreach (var offset in new[] { 0, 1, 5, 17 })
        {
            var reference = Score(offset, 0);
            foreach (var shift in new[] { 3, 20, 40 })
                Assert.Equal(reference, Score(offset + shift, shift), 4);
        }
        Assert.NotEqual(Score(1, 0), Score(2, 0), 3); // and it does depend on the offset
        Assert.True(rope.Rotate(q, 0).allclose(q)); // position 0 is not rotated
        Assert.Equal(q.norm().item<float>(), rope.Rotate(q, 9).norm().item<float>(), 5); // rotations keep lengths
    }

    [Fact]
    public void RoPE_rotates_each_pair_i_and_i_plus_half_by_m_theta_i()
    {
        using var scope = NewDisposeScope();
        var rope = new RotaryEmbedding(headSize: 4, maxPositions: 8, theta: 100);
        var x = tensor(new float[] { 1, 2, 3, 4 }).reshape(1, 4);
        var m = 3;
        double[] angles = [m * 1.0, m * Math.Pow(100, -2.0 / 4)];
        var byHand = new float[4];
        for (int i = 0; i < 2; i++)
        {
            var (a, b) = (x[0, i].item<float>(), x[0, i + 2].item<float>());
            byHand[i] = (float)(a * Math.Cos(angles[i]) - b * Math.Sin(angles[i]));
            byHand[i + 2] = (float)(b * Math.Cos(angles[i]) + a * Math.Sin(angles[i]));
        }
        Assert.True(rope.Rotate(x, m).allclose(tensor(byHand).reshape(1, 4), rtol: 0, atol: 1e-5));
    }

    [Fact]
    public void A_query_after_cached_keys_sees_all_of_them_and_the_fused_kernel_agrees_with_the_formula()
    {
        using var scope = NewDisposeScope();
        var (q, k, v) = (randn(1, 2, 3, 4), randn(1, 2, 7, 4), randn(1, 2, 7, 4));
        var fused = ScaledDotProductAttention.Fused(q, k, v, causal: true);
        var (explicitOutput, weights) = ScaledDotProductAttention.Explicit(q, k, v, causal: true);
        Assert.True(fused.allclose(explicitOutput, rtol: 0, atol: 1e-6));
        // Three queries at positions 4, 5, 6 of seven keys: the first sees keys 0..4.
        Assert.Equal(0, weights[0, 0, 0, 5..].abs().sum().item<float>());
        Assert.True(weights[0, 0, 0, ..5].gt(0).all().item<bool>());
        var one = ScaledDotProductAttention.Fused(q[.., .., ..1], k, v, causal: true);
        Assert.True(one.allclose(ScaledDotProductAttention.Explicit(q[.., .., ..1], k, v).Output, rtol: 0, atol: 1e-6));
    }
}
