namespace Text2Lora.TaskSuite.Generation;

/// <summary>
/// The suite's only source of randomness: SplitMix64, seeded from the suite seed and a stream name through
/// FNV-1a. It never touches <see cref="Random"/>, <see cref="string.GetHashCode()"/> or the current culture,
/// so the same seed and stream name give the same sequence on every machine and runtime.
/// </summary>
public sealed class SuiteRandom
{
    private ulong _state;

    private SuiteRandom(ulong state) => _state = state;

    /// <summary>A generator for one named stream (for example one task and split) of the suite.</summary>
    public static SuiteRandom ForStream(ulong seed, string streamName)
    {
        ArgumentNullException.ThrowIfNull(streamName);
        return new SuiteRandom(seed ^ Fnv1a(streamName));
    }

    /// <summary>Next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        _state += 0x9E3779B97F4A7C15UL;
        var z = _state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A uniform integer in [0, <paramref name="exclusiveMax"/>) (rejection sampling, no modulo bias).</summary>
    public int Next(int exclusiveMax)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(exclusiveMax);
        var bound = (ulong)exclusiveMax;
        var limit = ulong.MaxValue - (ulong.MaxValue % bound);
        ulong value;
        do
        {
            value = NextUInt64();
        }
        while (value >= limit);
        return (int)(value % bound);
    }

    /// <summary>A uniform integer in [<paramref name="min"/>, <paramref name="max"/>] (both inclusive).</summary>
    public int NextInclusive(int min, int max)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, min);
        return min + Next(max - min + 1);
    }

    /// <summary>True with probability <paramref name="numerator"/> / <paramref name="denominator"/>.</summary>
    public bool Chance(int numerator, int denominator) => Next(denominator) < numerator;

    /// <summary>A uniformly chosen element.</summary>
    public T Pick<T>(IReadOnlyList<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        return items[Next(items.Count)];
    }

    /// <summary>Shuffles <paramref name="items"/> in place (Fisher–Yates).</summary>
    public void Shuffle<T>(IList<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    private static ulong Fnv1a(string text)
    {
        var hash = 0xCBF29CE484222325UL;
        foreach (var ch in text)
        {
            hash ^= ch;
            hash *= 0x100000001B3UL;
        }

        return hash;
    }
}
