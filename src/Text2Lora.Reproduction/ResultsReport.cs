using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Text2Lora.Tasks;

namespace Text2Lora.Reproduction;

/// <summary>
/// The results table of the reproduction (<c>docs/results.md</c>): mean accuracy per row on training and held-out tasks,
/// plain comparisons of the rows that matter for T2L's claims, per-task accuracies, seeds and run times.
/// </summary>
internal sealed class ResultsReport(
    ReproductionOptions options,
    IReadOnlyList<TrainingTask> train,
    IReadOnlyList<TrainingTask> heldout,
    IReadOnlyList<TaskAccuracy> cells,
    IReadOnlyDictionary<string, double> stageSeconds,
    ReproductionSeeds seeds)
{
    private readonly Dictionary<(string Row, string Task), TaskAccuracy> _cells = cells.ToDictionary(c => (c.Row, c.Task));

    /// <summary>The mean over tasks of a row's per-task accuracy (null when the row has no such tasks).</summary>
    public double? Mean(ResultRow row, bool heldoutTasks)
    {
        var values = (heldoutTasks ? heldout : train).Select(t => _cells.GetValueOrDefault((row.Key, t.Name))).Where(c => c is not null).Select(c => c!.Accuracy).ToList();
        return values.Count == 0 ? null : values.Average();
    }

    /// <summary>The summary table (Markdown): every row's mean accuracy on training and on held-out tasks.</summary>
    public string SummaryTable()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"| | training tasks ({train.Count}) | held-out tasks ({heldout.Count}) |");
        text.AppendLine("| --- | ---: | ---: |");
        foreach (var row in ResultRow.All)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {row.Title} | {Percent(Mean(row, false))} | {Percent(Mean(row, true))} |");
        }

        return text.ToString();
    }

    /// <summary>The whole document.</summary>
    public string ToMarkdown()
    {
        var text = new StringBuilder();
        var examples = options.Evaluation.ExamplesPerTask;
        text.AppendLine("# Results: Text-to-LoRA reproduced at small scale on CPU");
        text.AppendLine();
        text.AppendLine("<!-- Written by `t2l reproduce --config configs/reproduce/pipeline.json` (src/Text2Lora.Cli/Reproduction); do not edit by hand. -->");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Every number below was produced by one command on CPU: a tiny Llama-architecture base model trained from scratch, {train.Count} oracle LoRAs, a multi-task LoRA, and two T2L hypernetworks (SFT and reconstruction, all-MiniLM-L6-v2 task encoder), all on the {train.Count} training tasks of `data/task-suite`, then scored on the test splits of those tasks and of {heldout.Count} held-out tasks whose descriptions were never seen in training.");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Scoring: the first {examples} test examples of each task (fewer where the split is smaller); greedy decoding, at most {options.Evaluation.MaxNewTokens} new tokens, stop at EOS; the task's rule from its `metadata.yaml` (`exact`: the trimmed answer equals the output, case-sensitive; `numeric`: the first integer equals it). Test item i of a task uses description i mod (number of descriptions), so every description of the task is used. Means are over tasks (every task weighs the same).");
        text.AppendLine();

        text.AppendLine("## Summary");
        text.AppendLine();
        text.Append(SummaryTable());

        text.AppendLine();
        text.AppendLine("## What the numbers say");
        text.AppendLine();
        foreach (var line in Comparisons())
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"- {line}");
        }

        text.AppendLine();
        text.AppendLine("## Rows");
        text.AppendLine();
        foreach (var row in ResultRow.All)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"- **{row.Title}**: {row.Explanation}.");
        }

        foreach (var (title, tasks) in new[] { ("Training tasks", train), ("Held-out tasks", heldout) })
        {
            var rows = ResultRow.All.Where(r => tasks == train || !r.TrainTasksOnly).ToList();
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"## Per task: {title.ToLowerInvariant()}");
            text.AppendLine();
            text.AppendLine("| task | n | " + string.Join(" | ", rows.Select(r => r.Title)) + " |");
            text.AppendLine("| --- | ---: | " + string.Join(" | ", rows.Select(_ => "---:")) + " |");
            foreach (var task in tasks)
            {
                var n = _cells.GetValueOrDefault((ResultRow.Base.Key, task.Name))?.Total ?? 0;
                var values = string.Join(" | ", rows.Select(r => Percent(_cells.GetValueOrDefault((r.Key, task.Name))?.Accuracy, digits: 0)));
                text.AppendLine(CultureInfo.InvariantCulture, $"| `{task.Name}` | {n} | {values} |");
            }

            var means = string.Join(" | ", rows.Select(r => Percent(Mean(r, tasks != train))));
            text.AppendLine(CultureInfo.InvariantCulture, $"| **mean** | | {means} |");
        }

        text.AppendLine();
        text.AppendLine("## Seeds and run time");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Seeds (from the configs in `configs/reproduce/`): base model {seeds.BaseModel}, oracle LoRAs {seeds.OracleLora}, multi-task LoRA {seeds.MultiTaskLora}, T2L-SFT {seeds.Sft}, T2L-reconstruction {seeds.Reconstruction}, control descriptions {seeds.Controls}. The task suite is generated with its own seed (`data/task-suite/suite.yaml`).");
        text.AppendLine();
        text.AppendLine("| stage | wall time |");
        text.AppendLine("| --- | ---: |");
        var oracleSeconds = stageSeconds.Where(p => p.Key.StartsWith(ReproductionPipeline.OracleStage + "/", StringComparison.Ordinal)).Sum(p => p.Value);
        foreach (var (stage, seconds) in new[]
        {
            ("base model", stageSeconds.GetValueOrDefault(ReproductionPipeline.BaseStage)),
            ($"oracle LoRAs ({train.Count})", oracleSeconds),
            ("multi-task LoRA", stageSeconds.GetValueOrDefault(ReproductionPipeline.MultiTaskStage)),
            ("T2L-SFT", stageSeconds.GetValueOrDefault(ReproductionPipeline.SftStage)),
            ("T2L-reconstruction", stageSeconds.GetValueOrDefault(ReproductionPipeline.ReconstructionStage)),
            ("evaluation (all rows)", stageSeconds.GetValueOrDefault(ReproductionPipeline.EvaluationStage)),
        })
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {stage} | {Duration(seconds)} |");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"| **total** | **{Duration(stageSeconds.Values.Sum())}** |");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Machine: {Environment.ProcessorCount} logical CPUs, {RuntimeInformation.OSDescription.Trim()}, {RuntimeInformation.FrameworkDescription}, no GPU.");
        text.AppendLine();
        text.AppendLine("## Reproduce");
        text.AppendLine();
        text.AppendLine("```bash");
        text.AppendLine("dotnet run --project src/Text2Lora.Cli -c Release -- reproduce --config configs/reproduce/pipeline.json");
        text.AppendLine("```");
        text.AppendLine();
        text.AppendLine("It writes `runs/reproduce/` (every stage's checkpoints, metrics and `answers.jsonl` with each generated answer), this file, and the published models `models/t2l-tiny-base`, `models/t2l-tiny-sft` and `models/t2l-tiny-recon`. `--output DIR --no-publish` reruns it elsewhere without touching the committed files, and `bash eng/check-reproduction.sh DIR` then compares that rerun with the committed weights (byte for byte) and with the scores above; `--resume` continues an interrupted run.");
        return text.ToString();
    }

    private IEnumerable<string> Comparisons()
    {
        string Compare(ResultRow a, ResultRow b, bool heldoutTasks)
        {
            var x = Mean(a, heldoutTasks) ?? 0;
            var y = Mean(b, heldoutTasks) ?? 0;
            var verdict = x > y ? "above" : x < y ? "below" : "level with";
            return string.Create(CultureInfo.InvariantCulture, $"{a.Title} {Percent(x)} is {verdict} {b.Title} {Percent(y)} ({(x - y) * 100:+0.0;-0.0;0.0} points)");
        }

        yield return $"Held-out tasks (zero-shot, unseen descriptions): {Compare(ResultRow.T2lSft, ResultRow.BaseWithDescription, true)}; {Compare(ResultRow.T2lReconstruction, ResultRow.BaseWithDescription, true)}; {Compare(ResultRow.MultiTaskLora, ResultRow.BaseWithDescription, true)}.";
        yield return $"Training tasks: {Compare(ResultRow.T2lSft, ResultRow.OracleLora, false)}; {Compare(ResultRow.T2lReconstruction, ResultRow.OracleLora, false)}; {Compare(ResultRow.T2lSft, ResultRow.MultiTaskLora, false)}; {Compare(ResultRow.BaseWithDescription, ResultRow.Base, false)}.";
        yield return $"Controls, training tasks: {Compare(ResultRow.T2lSft, ResultRow.T2lSftUnrelated, false)}; {Compare(ResultRow.T2lSft, ResultRow.T2lSftRandom, false)}; {Compare(ResultRow.T2lReconstruction, ResultRow.T2lReconstructionUnrelated, false)}; {Compare(ResultRow.T2lReconstruction, ResultRow.T2lReconstructionRandom, false)}.";
        yield return $"Controls, held-out tasks: {Compare(ResultRow.T2lSft, ResultRow.T2lSftUnrelated, true)}; {Compare(ResultRow.T2lSft, ResultRow.T2lSftRandom, true)}; {Compare(ResultRow.T2lReconstruction, ResultRow.T2lReconstructionUnrelated, true)}; {Compare(ResultRow.T2lReconstruction, ResultRow.T2lReconstructionRandom, true)}.";
        var wins = heldout.Count(t => (_cells.GetValueOrDefault((ResultRow.T2lSft.Key, t.Name))?.Accuracy ?? 0) > (_cells.GetValueOrDefault((ResultRow.BaseWithDescription.Key, t.Name))?.Accuracy ?? 0));
        var losses = heldout.Count(t => (_cells.GetValueOrDefault((ResultRow.T2lSft.Key, t.Name))?.Accuracy ?? 0) < (_cells.GetValueOrDefault((ResultRow.BaseWithDescription.Key, t.Name))?.Accuracy ?? 0));
        yield return string.Create(CultureInfo.InvariantCulture, $"Per held-out task, T2L-SFT beats base + description on {wins}, loses on {losses} and ties on {heldout.Count - wins - losses} of {heldout.Count}.");
    }

    private static string Percent(double? value, int digits = 1) =>
        value is { } v ? (v * 100).ToString(digits == 0 ? "0" : "0.0", CultureInfo.InvariantCulture) + " %" : "—";

    private static string Duration(double seconds) =>
        TimeSpan.FromSeconds(Math.Round(seconds)).ToString(seconds >= 3600 ? @"h\:mm\:ss" : @"m\:ss", CultureInfo.InvariantCulture);
}
