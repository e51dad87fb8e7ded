using System.Diagnostics;
using System.Globalization;
using System.Text;
using Text2Lora.BaseModelReport;
using Text2Lora.IO;
using Text2Lora.Models.Llama;
using Text2Lora.Tokenization;
using Text2Lora.Training.Data;

// dotnet run --project tools/Text2Lora.BaseModelReport -- --model DIR [--suite data/task-suite] [--limit 50] [--output FILE]
// Scores every training and held-out task of the suite's test splits with and without the description in the prompt
// and writes a Markdown table (stdout when --output is not given).
var arguments = ParseArguments(args);
if (!arguments.TryGetValue("model", out var modelDirectory))
{
    Console.Error.WriteLine("usage: Text2Lora.BaseModelReport --model DIR [--suite data/task-suite] [--limit 50] [--output FILE]");
    return 2;
}

var suite = arguments.GetValueOrDefault("suite", "data/task-suite");
var limit = int.Parse(arguments.GetValueOrDefault("limit", "50"), CultureInfo.InvariantCulture);
var clock = Stopwatch.StartNew();
using var model = LlamaFamilyModel.Load(modelDirectory);
var tokenizer = TokenizerLoader.Load(modelDirectory);
var manifest = TaskSuiteManifest.Read(suite);
var rows = new List<(string Task, bool Heldout, double Plain, double Described, string Example)>();
foreach (var (name, heldout) in manifest.Train.Select(n => (n, false)).Concat(manifest.Heldout.Select(n => (n, true))))
{
    var task = TaskFolderReader.ReadTask(Path.Combine(suite, name));
    var plain = DescribedTaskAccuracy.Score(model, tokenizer, task, withDescription: false, limit, batchSize: 50, maxNewTokens: 32);
    var described = DescribedTaskAccuracy.Score(model, tokenizer, task, withDescription: true, limit, batchSize: 50, maxNewTokens: 32);
    var first = described[0];
    rows.Add((name, heldout, plain.Average(s => s.Correct ? 1.0 : 0.0), described.Average(s => s.Correct ? 1.0 : 0.0), $"`{first.Prompt.Split('\n')[^1]}` → `{first.Generated}` (expected `{first.Expected}`)"));
    Console.Error.WriteLine($"{name,-34} {rows[^1].Plain,6:P0} {rows[^1].Described,6:P0}");
}

var report = new StringBuilder();
report.AppendLine(CultureInfo.InvariantCulture, $"Model: `{modelDirectory}`; suite: `{suite}`; first {limit} test examples per task; greedy decoding, at most 32 new tokens; exact match (trimmed, case-sensitive). Evaluation wall time {clock.Elapsed.TotalSeconds:F0} s.");
report.AppendLine();
foreach (var heldout in new[] { false, true })
{
    var group = rows.Where(r => r.Heldout == heldout).ToList();
    report.AppendLine(CultureInfo.InvariantCulture, $"**{(heldout ? "Held-out" : "Training")} tasks ({group.Count})**: mean accuracy {group.Average(r => r.Plain):P1} without the description, {group.Average(r => r.Described):P1} with it.");
    report.AppendLine();
    report.AppendLine("| task | input only | description + input | first described example: input → generated |");
    report.AppendLine("| --- | ---: | ---: | --- |");
    foreach (var row in group)
    {
        report.AppendLine(CultureInfo.InvariantCulture, $"| `{row.Task}` | {row.Plain:P0} | {row.Described:P0} | {row.Example.Replace("|", "\\|", StringComparison.Ordinal)} |");
    }

    report.AppendLine();
}

if (arguments.TryGetValue("output", out var output))
{
    AtomicFile.WriteAllText(output, report.ToString());
}
else
{
    Console.Write(report);
}

return 0;

static Dictionary<string, string> ParseArguments(string[] args)
{
    var result = new Dictionary<string, string>(StringComparer.Ordinal);
    for (var i = 0; i + 1 < args.Length; i += 2)
    {
        if (!args[i].StartsWith("--", StringComparison.Ordinal))
        {
            throw new ArgumentException($"Expected an option name at '{args[i]}'.");
        }

        result[args[i][2..]] = args[i + 1];
    }

    return result;
}
