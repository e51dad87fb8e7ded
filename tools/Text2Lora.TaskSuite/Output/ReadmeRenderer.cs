using System.Globalization;
using System.Text;
using Text2Lora.TaskSuite.Generation;
using Text2Lora.TaskSuite.Tasks;

namespace Text2Lora.TaskSuite.Output;

/// <summary>Fills the embedded README template with the suite's counts and task tables.</summary>
public static class ReadmeRenderer
{
    private const string TemplateResource = "Output/README.template.md";

    /// <summary>The README text for <paramref name="tasks"/>; <paramref name="otherFiles"/> gives the folder's size.</summary>
    public static string Render(IReadOnlyList<GeneratedTask> tasks, IReadOnlyDictionary<string, string> otherFiles)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        ArgumentNullException.ThrowIfNull(otherFiles);
        var train = tasks.Where(t => t.Spec.Split == TaskSplit.Train).ToList();
        var heldout = tasks.Where(t => t.Spec.Split == TaskSplit.Heldout).ToList();
        var bytes = otherFiles.Values.Sum(v => (long)Encoding.UTF8.GetByteCount(v));
        return LoadTemplate()
            .Replace("{{TRAIN_COUNT}}", Number(train.Count), StringComparison.Ordinal)
            .Replace("{{HELDOUT_COUNT}}", Number(heldout.Count), StringComparison.Ordinal)
            .Replace("{{TRAIN_EXAMPLES}}", Number(tasks.Sum(t => t.Train.Count)), StringComparison.Ordinal)
            .Replace("{{TEST_EXAMPLES}}", Number(tasks.Sum(t => t.Test.Count)), StringComparison.Ordinal)
            .Replace("{{DESCRIPTIONS}}", Number(tasks.Sum(t => t.Descriptions.Count)), StringComparison.Ordinal)
            .Replace("{{DATA_KB}}", Number((int)Math.Ceiling(bytes / 1024.0)), StringComparison.Ordinal)
            .Replace("{{SEED}}", SuiteSettings.Seed.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{{COMMAND}}", SuiteRenderer.RegenerateCommand, StringComparison.Ordinal)
            .Replace("{{TRAIN_TABLE}}", Table(train, withRelated: false), StringComparison.Ordinal)
            .Replace("{{HELDOUT_TABLE}}", Table(heldout, withRelated: true), StringComparison.Ordinal);
    }

    private static string Table(IReadOnlyList<GeneratedTask> tasks, bool withRelated)
    {
        var sb = new StringBuilder();
        sb.Append("| task | family | output | scoring | train / test | example | first description |");
        sb.Append(withRelated ? " related training tasks |\n" : "\n");
        sb.Append("| --- | --- | --- | --- | --- | --- | --- |");
        sb.Append(withRelated ? " --- |\n" : "\n");
        foreach (var task in tasks)
        {
            var example = task.Test[0];
            sb.Append(CultureInfo.InvariantCulture,
                $"| `{task.Spec.Name}` | {task.Spec.Family} | {task.Spec.Summary} | {SuiteRenderer.ScoringName(task.Spec.Scoring)} | {task.Train.Count} / {task.Test.Count} | `{example.Input}` → `{example.Output}` | {task.Descriptions[0]} |");
            sb.Append(withRelated ? $" {string.Join(", ", task.Spec.RelatedTo.Select(r => $"`{r}`"))} |\n" : "\n");
        }

        return sb.ToString().TrimEnd('\n');
    }

    private static string LoadTemplate()
    {
        using var stream = typeof(ReadmeRenderer).Assembly.GetManifestResourceStream(TemplateResource)
            ?? throw new InvalidOperationException($"Embedded resource {TemplateResource} is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().ReplaceLineEndings("\n");
    }

    private static string Number(int n) => n.ToString("N0", CultureInfo.InvariantCulture);
}
