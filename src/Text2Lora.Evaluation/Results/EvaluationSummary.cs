namespace Text2Lora.Evaluation.Results;

/// <summary>Accuracy of one run.</summary>
/// <param name="Benchmark">The benchmark name.</param>
/// <param name="ItemCount">Items evaluated.</param>
/// <param name="CorrectCount">Items correct under the primary metric.</param>
/// <param name="PrimaryMetric">Name of the metric <see cref="Accuracy"/> reports (<c>acc</c>, <c>acc_norm</c>, <c>exact_match</c>…).</param>
/// <param name="Metrics">Mean correctness per metric name, over the items that have it.</param>
public sealed record EvaluationSummary(string Benchmark, int ItemCount, int CorrectCount, string PrimaryMetric, IReadOnlyDictionary<string, double> Metrics)
{
    /// <summary>Fraction of items correct under the primary metric (0 when there are no items).</summary>
    public double Accuracy => ItemCount == 0 ? 0 : (double)CorrectCount / ItemCount;

    /// <summary>Summarises <paramref name="results"/>.</summary>
    public static EvaluationSummary From(string benchmark, IReadOnlyList<ItemResult> results, string primaryMetric)
    {
        ArgumentNullException.ThrowIfNull(results);
        var metrics = results
            .SelectMany(r => r.Metrics)
            .GroupBy(pair => pair.Key, StringComparer.Ordinal)
            .OrderBy(group => group.Key, StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.Average(pair => pair.Value ? 1.0 : 0.0), StringComparer.Ordinal);
        return new EvaluationSummary(benchmark, results.Count, results.Count(r => r.Correct), primaryMetric, metrics);
    }
}
