using Text2Lora.TaskSuite.Generation;

namespace Text2Lora.TaskSuite.Inputs;

/// <summary>
/// Where a task's inputs come from: either a finite, explicitly listed space (shuffled and partitioned into
/// test and train) or a sampler over a space too large to list (drawn until enough distinct inputs exist).
/// </summary>
public sealed class InputSource
{
    private InputSource(IReadOnlyList<string>? all, Func<SuiteRandom, string>? sampler)
    {
        All = all;
        Sampler = sampler;
    }

    /// <summary>Every possible input, when the space is finite and small; otherwise null.</summary>
    public IReadOnlyList<string>? All { get; }

    /// <summary>Draws one input, when the space is sampled; otherwise null.</summary>
    public Func<SuiteRandom, string>? Sampler { get; }

    /// <summary>A finite space listed in full (duplicates are removed, first occurrence kept).</summary>
    public static InputSource Finite(IEnumerable<string> all)
    {
        ArgumentNullException.ThrowIfNull(all);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var list = all.Where(seen.Add).ToList();
        return new InputSource(list, null);
    }

    /// <summary>A space drawn by <paramref name="sampler"/>.</summary>
    public static InputSource Sampled(Func<SuiteRandom, string> sampler)
    {
        ArgumentNullException.ThrowIfNull(sampler);
        return new InputSource(null, sampler);
    }
}
