using Course.Models;

namespace Course.Training;

/// <summary>
/// Model FLOPs utilisation (PaLM, Chowdhery et al. 2022): the FLOPs a step must do, divided by what the hardware
/// could do in the same time. Per token, training costs 6·N (forward 2·N, backward 4·N, N = parameters without the
/// position embedding) plus 12·L·d·T for attention's QKᵀ and weights·V over a context of T.
/// </summary>
public static class Throughput
{
    public static double FlopsPerToken(GptConfig config) =>
        6.0 * config.ParameterCount(includePositions: false) + 12.0 * config.NLayer * config.NEmbd * config.BlockSize;

    /// <summary>MFU in [0, 1] for <paramref name="tokensPerSecond"/> against a peak of <paramref name="peakTflops"/> TFLOP/s.</summary>
    public static double Mfu(GptConfig config, double tokensPerSecond, double peakTflops) =>
        tokensPerSecond * FlopsPerToken(config) / (peakTflops * 1e12);
}
