using static TorchSharp.torch;

namespace Course.Evaluation;

/// <summary>
/// Turns next-token logits into a choice. Temperature divides the logits (below 1 sharpens, above 1 flattens;
/// 0 means greedy argmax). Top-k keeps the k most likely tokens; top-p (nucleus) keeps the smallest set whose
/// probabilities add up to at least p. What remains is renormalised and sampled.
/// </summary>
public sealed record NextTokenSampler(double Temperature = 1.0, int? TopK = null, double? TopP = null)
{
    public static NextTokenSampler Greedy { get; } = new(Temperature: 0);

    public const double MinTemperature = 0.01, MaxTemperature = 100;

    public NextTokenSampler Validate()
    {
        // Below the floor the scaled logits overflow float32 (softmax then gives NaN); above the cap every token is equally likely.
        if (Temperature != 0 && !(Temperature >= MinTemperature && Temperature <= MaxTemperature))
            throw new UserError($"Temperature must be 0 (greedy) or between {MinTemperature} and {MaxTemperature} (got {Temperature}): below {MinTemperature} the scaled logits overflow; use 0 for the most likely token.");
        if (TopK is <= 0) throw new UserError($"TopK must be ≥ 1 (got {TopK}).");
        if (TopP is not null && (TopP <= 0 || TopP > 1 || double.IsNaN(TopP.Value))) throw new UserError($"TopP must be in (0, 1] (got {TopP}).");
        return this;
    }

    /// <summary>The distribution that <see cref="Sample"/> draws from, for logits (B, vocab). Not defined for temperature 0.</summary>
    public Tensor Probabilities(Tensor logits)
    {
        Validate();
        if (Temperature == 0) throw new InvalidOperationException("Greedy decoding (temperature 0) has no sampling distribution.");
        using var scope = NewDisposeScope();
        var scaled = logits.to(ScalarType.Float32) / Temperature;
        if (TopK is int k && k < scaled.size(-1))
        {
            var kth = scaled.topk(k).values[.., ^1..];
            scaled = scaled.masked_fill(scaled < kth, double.NegativeInfinity);
        }
        if (TopP is double p && p < 1)
        {
            var (sorted, order) = scaled.sort(-1, descending: true);
            var cumulative = sorted.softmax(-1).cumsum(-1);
            // Drop a token when the tokens before it already reach p; the most likely token always stays.
            var drop = (cumulative - sorted.softmax(-1)) >= p;
            scaled = scaled.scatter(-1, order, sorted.masked_fill(drop, double.NegativeInfinity));
        }
        return scaled.softmax(-1).MoveToOuterDisposeScope();
    }

    /// <summary>One token per row of <paramref name="logits"/> (B, vocab), as (B, 1) int64 ids on the logits' device.
    /// The draw happens on the CPU with a CPU <paramref name="generator"/>, so one seed gives the same text on any device.</summary>
    public Tensor Sample(Tensor logits, Generator? generator = null)
    {
        Validate();
        if (Temperature == 0) return logits.argmax(-1, keepdim: true);
        using var probabilities = Probabilities(logits);
        using var cpu = probabilities.cpu();
        using var choice = multinomial(cpu, 1, generator: generator);
        return choice.to(logits.device);
    }
}
