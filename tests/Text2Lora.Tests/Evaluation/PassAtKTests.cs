using Text2Lora.Evaluation.Code;
using Text2Lora.Tests.Infrastructure;

namespace Text2Lora.Tests.Evaluation;

[Trait(TestCategory.Key, TestCategory.Behaviour)]
public sealed class PassAtKTests
{
    [Theory]
    [InlineData(1, 1, 1, 1.0)]
    [InlineData(1, 0, 1, 0.0)]
    [InlineData(5, 2, 1, 0.4)]   // 1 − C(3,1)/C(5,1) = 1 − 3/5
    [InlineData(5, 2, 2, 0.7)]   // 1 − C(3,2)/C(5,2) = 1 − 3/10
    [InlineData(4, 3, 2, 1.0)]   // fewer than k failures: some pair always passes
    [InlineData(10, 0, 5, 0.0)]
    public void Estimate_matches_the_combinatorial_formula(int n, int c, int k, double expected) =>
        Assert.Equal(expected, PassAtK.Estimate(n, c, k), 12);

    [Theory]
    [InlineData(3, 4, 1)]
    [InlineData(3, 1, 4)]
    [InlineData(3, 1, 0)]
    [InlineData(0, 0, 1)]
    public void Impossible_counts_are_rejected(int n, int c, int k) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => PassAtK.Estimate(n, c, k));
}
