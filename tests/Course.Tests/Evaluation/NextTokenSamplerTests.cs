using Course.Evaluation;
using static TorchSharp.torch;

namespace Course.Tests.Evaluation;

public class NextTokenSamplerTests
{
    // Probabilities 0.5, 0.25, 0.125, 0.0625, 0.0625 as logits.
    private static Tensor Logits() => log(tensor(new[] { 0.5f, 0.25f, 0.125f, 0.0625f, 0.0625f })).unsqueeze(0);

    [Fact]
    public void Top_k_keeps_the_k_most_likely_tokens_renormalised()
    {
        using var p = new NextTokenSampler(TopK: 2).Probabilities(Logits());
        Assert.True(p.allclose(tensor(new[] { 2f / 3, 1f / 3, 0, 0, 0 }).unsqueeze(0), atol: 1e-6));
    }

    [Fact]
    public void Top_p_keeps_the_smallest_set_reaching_p()
    {
        // 0.5 + 0.25 = 0.75 ≥ 0.7: two tokens stay. With p = 0.8 the third (0.875) is needed too.
        using var two = new NextTokenSampler(TopP: 0.7).Probabilities(Logits());
        using var three = new NextTokenSampler(TopP: 0.8).Probabilities(Logits());
        Assert.True(two.allclose(tensor(new[] { 2f / 3, 1f / 3, 0, 0, 0 }).unsqueeze(0), atol: 1e-6));
        Assert.True(three.allclose(tensor(new[] { 4f / 7, 2f / 7, 1f / 7, 0, 0 }).unsqueeze(0), atol: 1e-6));
    }

    [Fact]
    public void Temperature_sharpens_and_zero_means_greedy()
    {
        using var cold = new NextTokenSampler(Temperature: 0.5).Probabilities(Logits());
        // Temperature ½ squares the probabilities: 0.25 / (0.25 + 0.0625 + 0.015625 + 2·0.00390625).
        Assert.Equal(0.25 / 0.3359375, cold[0, 0].item<float>(), 5);
        using var pick = NextTokenSampler.Greedy.Sample(Logits());
        Assert.Equal(0L, pick.item<long>());
        Assert.Throws<UserError>(() => new NextTokenSampler(TopP: 1.5).Validate());
        Assert.Throws<UserError>(() => new NextTokenSampler(TopK: 0).Validate());
    }
}
