namespace Text2Lora.Serving.Scheduling;

/// <summary>
/// Sampling settings that may share one batch: every greedy request batches with every other; sampled requests batch
/// with requests of the same temperature and top-p; a seeded sampled request runs alone so that its seed reproduces
/// its tokens whatever else is being served. Requests that ignore end-of-sequence tokens batch only with each other
/// (the set of EOS tokens is one per batch).
/// </summary>
internal readonly record struct BatchKey(double Temperature, double TopP, long? Seed, bool IgnoreEos, long Unique)
{
    private static long s_next;

    public static BatchKey For(double temperature, double topP, long? seed, bool ignoreEos = false) =>
        temperature <= 0 ? new BatchKey(0, 1, null, ignoreEos, 0)
        : seed is null ? new BatchKey(temperature, topP, null, ignoreEos, 0)
        : new BatchKey(temperature, topP, seed, ignoreEos, Interlocked.Increment(ref s_next));
}
