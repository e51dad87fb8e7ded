using System.Globalization;
using System.Text;

namespace Text2Lora.FuzzRunner;

/// <summary>The campaign table written to the console and to <c>docs/reliability.md</c>.</summary>
internal static class FuzzReport
{
    public static string Header =>
        "| format | cases | typed error | accepted | untyped | hang | over-memory | inconsistent | time |\n" +
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |";

    public static string Row(CampaignResult r) => string.Create(CultureInfo.InvariantCulture,
        $"| {r.Format} | {r.Cases} | {r.Counts[Outcome.Typed]} | {r.Counts[Outcome.Accepted]} | {r.Counts[Outcome.Untyped]} | {r.Counts[Outcome.Hang]} | {r.Counts[Outcome.OverMemory]} | {r.Counts[Outcome.Inconsistent]} | {r.Elapsed.TotalSeconds:0} s |");

    public static string Markdown(IEnumerable<CampaignResult> results)
    {
        var text = new StringBuilder(Header).Append('\n');
        foreach (var result in results)
        {
            text.Append(Row(result)).Append('\n');
        }

        return text.ToString();
    }
}
