using Text2Lora.FuzzRunner;
using Xunit.Abstractions;

namespace Text2Lora.FuzzTests;

/// <summary>
/// The CI share of the fuzz campaign: a fixed seed and a fixed number of cases per format, run in worker processes
/// with time and RSS limits. Every case must end in a typed bad-input error or be accepted with a self-consistent
/// result; any untyped exception, crash, hang, memory blow-up or inconsistent result fails the test and names the
/// case (rebuild it with <c>Text2Lora.FuzzRunner repro --format F --seed 20261205 --case I --out DIR</c>).
/// Larger campaigns: <c>eng/fuzz.sh [N]</c>.
/// </summary>
public sealed class FixedCampaignTests(ITestOutputHelper output)
{
    private const int Seed = 20261205;

    public static TheoryData<string, int> Formats() => new()
    {
        { "safetensors", 300 },
        { "peft", 300 },
        { "hypermod-pt", 150 },
        { "args-yaml", 150 },
        { "hypernetwork", 100 },
        { "config-json", 150 },
        { "tokenizer-json", 300 },
        { "tokenizer-model", 300 },
        { "tokenizer-config", 300 },
        { "task-folder", 300 },
        { "trainer-config", 150 },
        { "benchmark-jsonl", 300 },
        { "gte-vocab", 150 },
    };

    [Theory]
    [MemberData(nameof(Formats))]
    public void Every_case_is_a_typed_error_or_a_consistent_result(string format, int cases)
    {
        var result = Campaign.Run(format, Seed, cases, CampaignLimits.Default);
        output.WriteLine(FuzzReport.Header);
        output.WriteLine(FuzzReport.Row(result));
        Assert.True(result.Bad == 0, string.Join('\n', result.Failures.Take(20)));
        Assert.Equal(cases, result.Counts.Values.Sum());
    }
}
