namespace Text2Lora.Evaluation.Benchmarks;

/// <summary>The benchmark formats the harness reads, by command-line name.</summary>
public static class BenchmarkCatalog
{
    /// <summary>Every supported benchmark.</summary>
    public static IReadOnlyList<IBenchmark> All { get; } =
    [
        new ArcBenchmark("arc_easy"),
        new ArcBenchmark("arc_challenge"),
        new BoolQBenchmark(),
        new Gsm8kBenchmark(),
        new HellaSwagBenchmark(),
        new OpenBookQaBenchmark(),
        new PiqaBenchmark(),
        new WinoGrandeBenchmark(),
        new TaskSuiteBenchmark(),
    ];

    /// <summary>The supported names, in catalog order.</summary>
    public static IReadOnlyList<string> Names { get; } = All.Select(b => b.Name).ToList();

    /// <summary>The benchmark called <paramref name="name"/> (case-insensitive; '-' and '_' are interchangeable).</summary>
    /// <exception cref="ArgumentException">No benchmark has that name; the message lists the supported ones.</exception>
    public static IBenchmark Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var key = name.Trim().Replace('-', '_');
        return All.FirstOrDefault(b => string.Equals(b.Name, key, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"Unknown benchmark '{name}'. Supported: {string.Join(", ", Names)}.", nameof(name));
    }
}
