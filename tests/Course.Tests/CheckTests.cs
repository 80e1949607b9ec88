using static TorchSharp.torch;

namespace Course.Tests;

public class CheckTests
{
    [Fact]
    public void That_passes_a_true_claim_and_throws_with_the_claim_for_a_false_one()
    {
        Check.That(1 + 1 == 2, "arithmetic");
        var e = Assert.Throws<ClaimFailedException>(() => Check.That(false, "the loss went down"));
        Assert.Contains("the loss went down", e.Message);
    }

    [Fact]
    public void Close_compares_within_the_tolerance_and_never_accepts_NaN()
    {
        Check.Close(1.0, 1.0 + 1e-9, 1e-8, "near");
        var far = Assert.Throws<ClaimFailedException>(() => Check.Close(1.0, 1.1, 1e-3, "far"));
        Assert.Contains("expected 1.1", far.Message);
        Assert.Throws<ClaimFailedException>(() => Check.Close(double.NaN, 0.0, 1.0, "NaN"));
    }

    [Fact]
    public void Close_for_tensors_checks_shapes_and_the_largest_difference()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new[] { 1.0f, 2.0f, 3.0f });
        Check.Close(a, a + 1e-7f, 1e-6, "near");
        Assert.Throws<ClaimFailedException>(() => Check.Close(a, a.reshape(1, 3), 1.0, "shape"));
        var e = Assert.Throws<ClaimFailedException>(() => Check.Close(a, tensor(new[] { 1.0f, 2.5f, 3.0f }), 1e-3, "one element off"));
        Assert.Contains("0.5", e.Message);
        Assert.Throws<ClaimFailedException>(() => Check.Close(a, tensor(new[] { 1.0f, float.NaN, 3.0f }), 1.0, "NaN"));
    }
}
