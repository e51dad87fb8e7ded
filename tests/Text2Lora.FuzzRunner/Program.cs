using System.Globalization;
using Text2Lora.FuzzRunner;

// t2l fuzz runner. Commands:
//   campaign [--format NAME|all] [--cases N] [--seed S] [--report FILE]   parent: runs cases in worker processes
//   worker --format NAME --seed S --from I --to J --work DIR             child: runs cases [I, J), one line per case
//   repro --format NAME --seed S --case I --out DIR                      writes one case's files (for regression tests)
//   hammer --target generator|minilm|gte|model [--rounds R] [--threads T] [--seed S]   dispose-during-use trials
//   list                                                                 the format names
var options = ParseOptions(args.Skip(1).ToArray());
string Option(string name, string fallback) => options.GetValueOrDefault(name, fallback);
int IntOption(string name, int fallback) => int.Parse(Option(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

switch (args.FirstOrDefault())
{
    case "worker":
        return CaseWorker.Run(FuzzFormats.Get(Option("format", "")), IntOption("seed", 1), IntOption("from", 0), IntOption("to", 1), Option("work", Path.GetTempPath()));
    case "repro":
    {
        var format = FuzzFormats.Get(Option("format", ""));
        var seedRoot = Path.Combine(Path.GetTempPath(), "t2l-fuzz-seeds");
        FuzzFormats.PrepareGeneratedSeeds(seedRoot);
        var target = CaseWorker.BuildCase(format, IntOption("seed", 1), IntOption("case", 0), seedRoot, Option("out", "fuzz-case"));
        Console.WriteLine($"wrote {Option("out", "fuzz-case")} (mutated {target})");
        return 0;
    }
    case "hammer":
        return Hammer.Run(Option("target", ""), IntOption("rounds", 5), IntOption("threads", 4), IntOption("seed", 1));
    case "list":
        Console.WriteLine(string.Join('\n', FuzzFormats.All.Select(f => f.Name)));
        return 0;
    case "campaign":
    {
        var names = Option("format", "all") == "all" ? FuzzFormats.All.Select(f => f.Name).ToList() : Option("format", "").Split(',').ToList();
        var results = new List<CampaignResult>();
        foreach (var name in names)
        {
            var result = Campaign.Run(name, IntOption("seed", 1), IntOption("cases", 1000), CampaignLimits.Default, Console.Out);
            results.Add(result);
            Console.WriteLine(FuzzReport.Row(result));
        }

        var report = FuzzReport.Markdown(results);
        Console.WriteLine(report);
        if (options.TryGetValue("report", out var reportPath))
        {
            File.WriteAllText(reportPath, report);
        }

        return results.Any(r => r.Bad > 0) ? 1 : 0;
    }
    default:
        Console.Error.WriteLine("usage: Text2Lora.FuzzRunner campaign|worker|repro|list [options] (see Program.cs)");
        return 2;
}

static Dictionary<string, string> ParseOptions(string[] args)
{
    var result = new Dictionary<string, string>(StringComparer.Ordinal);
    for (var i = 0; i + 1 < args.Length; i += 2)
    {
        result[args[i].TrimStart('-')] = args[i + 1];
    }

    return result;
}
