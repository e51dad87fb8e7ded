namespace Text2Lora.Serving.Scheduling;

/// <summary>
/// Sampling settings that may share one batch: every greedy request batches with every other; sampled requests batch
/// with requests of the same temperature and top-p; a seeded sampled request runs alone so that its seed reproduces
/// its tokens whatever else is being served.
/// </summary>
internal readonly record struct BatchKey(double Temperature, double TopP, long? Seed, long Unique)
{
    private static long s_next;

    public static BatchKey For(double temperature, double topP, long? seed) =>
        temperature <= 0 ? new BatchKey(0, 1, null, 0)
        : seed is null ? new BatchKey(temperature, topP, null, 0)
        : new BatchKey(temperature, topP, seed, Interlocked.Increment(ref s_next));
}
