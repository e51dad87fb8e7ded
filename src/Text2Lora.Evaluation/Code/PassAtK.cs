namespace Text2Lora.Evaluation.Code;

/// <summary>
/// The unbiased pass@k estimator of Chen et al. 2021 (Codex): with n samples of which c pass,
/// pass@k = 1 − C(n−c, k) / C(n, k), computed as a stable product. With n = k = 1 it is simply 1 or 0.
/// </summary>
public static class PassAtK
{
    /// <summary>The estimate for one problem.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Unless 0 ≤ c ≤ n and 1 ≤ k ≤ n.</exception>
    public static double Estimate(int samples, int passed, int k)
    {
        if (samples < 1 || passed < 0 || passed > samples)
        {
            throw new ArgumentOutOfRangeException(nameof(passed), passed, $"need 0 ≤ passed ≤ samples (samples = {samples}).");
        }

        if (k < 1 || k > samples)
        {
            throw new ArgumentOutOfRangeException(nameof(k), k, $"need 1 ≤ k ≤ samples (samples = {samples}).");
        }

        if (samples - passed < k)
        {
            return 1.0;
        }

        // C(n−c, k)/C(n, k) = Π_{i=n−c+1..n} (1 − k/i)
        var failAll = 1.0;
        for (var i = samples - passed + 1; i <= samples; i++)
        {
            failAll *= 1.0 - (double)k / i;
        }

        return 1.0 - failAll;
    }
}
