namespace Text2Lora.Training.Loop;

/// <summary>
/// Linear warmup then linear decay to zero (transformers' <c>get_linear_schedule_with_warmup</c>, which the
/// T2L reference uses): lr(s) = base · s/w for s &lt; w, then base · (T − s)/(T − w), with w = ⌈warmup · T⌉.
/// Steps are 0-based optimizer steps, as in the reference's LambdaLR.
/// </summary>
internal sealed class LearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    public LearningRateSchedule(double baseLearningRate, int totalSteps, double warmupFraction)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(totalSteps);
        ArgumentOutOfRangeException.ThrowIfNegative(warmupFraction);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(warmupFraction, 1.0);
        BaseLearningRate = baseLearningRate;
        TotalSteps = totalSteps;
        WarmupSteps = (int)Math.Ceiling(warmupFraction * totalSteps);
    }

    /// <summary>Peak learning rate.</summary>
    public double BaseLearningRate { get; }

    /// <summary>Total optimizer steps T.</summary>
    public int TotalSteps { get; }

    /// <summary>Warmup steps w.</summary>
    public int WarmupSteps { get; }

    /// <summary>The learning rate of 0-based step <paramref name="step"/>.</summary>
    public double At(int step)
    {
        if (step < WarmupSteps)
        {
            return BaseLearningRate * step / Math.Max(1, WarmupSteps);
        }

        return BaseLearningRate * Math.Max(0.0, (double)(TotalSteps - step) / Math.Max(1, TotalSteps - WarmupSteps));
    }
}
