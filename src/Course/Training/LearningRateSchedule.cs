namespace Course.Training;

/// <summary>
/// Linear warm-up over the first W warm-up steps, from Peak/W at step 0 up to the peak at step W−1 (so no step
/// trains at rate 0), then half a cosine from the peak down to the minimum at the decay end, then constant at the
/// minimum (as in GPT-3 and nanoGPT).
/// </summary>
public sealed record LearningRateSchedule(double Peak, double Minimum, int WarmupSteps, int DecaySteps)
{
    public double At(int step)
    {
        if (step < WarmupSteps) return Peak * (step + 1) / WarmupSteps;
        if (step >= DecaySteps) return Minimum;
        var progress = (double)(step - WarmupSteps) / Math.Max(1, DecaySteps - WarmupSteps);
        return Minimum + 0.5 * (1 + Math.Cos(Math.PI * progress)) * (Peak - Minimum);
    }
}
