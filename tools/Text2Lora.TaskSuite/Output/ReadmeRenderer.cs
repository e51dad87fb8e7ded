using System.Globalization;
using System.Text;
using Text2Lora.TaskSuite.Generation;
using Text2Lora.TaskSuite.Tasks;

namespace Text2Lora.TaskSuite.Output;

/// <summary>Fills the embedded README template with the suite's counts and task tables.</summary>
public static class ReadmeRenderer
{
    /// <summary>
    /// The README text for <paramref name="tasks"/> from <paramref name="edition"/>'s template;
    /// <paramref name="otherFiles"/> gives the folder's size. Placeholders a template does not use are ignored.
    /// </summary>
    public static string Render(IReadOnlyList<GeneratedTask> tasks, IReadOnlyDictionary<string, string> otherFiles, SuiteEdition edition)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        ArgumentNullException.ThrowIfNull(otherFiles);
        ArgumentNullException.ThrowIfNull(edition);
        var train = tasks.Where(t => t.Spec.Split == TaskSplit.Train).ToList();
        var heldout = tasks.Where(t => t.Spec.Split == TaskSplit.Heldout).ToList();
        var validation = tasks.Where(t => t.Spec.Split == TaskSplit.Validation).ToList();
        var interpolation = heldout.Where(t => t.Spec.HeldoutGroup == HeldoutGroups.Interpolation).ToList();
        var newFamily = heldout.Where(t => t.Spec.HeldoutGroup == HeldoutGroups.NewFamily).ToList();
        var bytes = otherFiles.Values.Sum(v => (long)Encoding.UTF8.GetByteCount(v));
        return LoadTemplate(edition.ReadmeTemplate)
            .Replace("{{TRAIN_COUNT}}", Number(train.Count), StringComparison.Ordinal)
            .Replace("{{HELDOUT_COUNT}}", Number(heldout.Count), StringComparison.Ordinal)
            .Replace("{{TRAIN_EXAMPLES}}", Number(tasks.Sum(t => t.Train.Count)), StringComparison.Ordinal)
            .Replace("{{TEST_EXAMPLES}}", Number(tasks.Sum(t => t.Test.Count)), StringComparison.Ordinal)
            .Replace("{{DESCRIPTIONS}}", Number(tasks.Sum(t => t.Descriptions.Count)), StringComparison.Ordinal)
            .Replace("{{DATA_KB}}", Number((int)Math.Ceiling(bytes / 1024.0)), StringComparison.Ordinal)
            .Replace("{{SEED}}", edition.Seed.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{{COMMAND}}", edition.RegenerateCommand, StringComparison.Ordinal)
            .Replace("{{TRAIN_TABLE}}", Table(train, withRelated: false), StringComparison.Ordinal)
            .Replace("{{HELDOUT_TABLE}}", Table(heldout, withRelated: true), StringComparison.Ordinal)
            .Replace("{{INTERPOLATION_COUNT}}", Number(interpolation.Count), StringComparison.Ordinal)
            .Replace("{{NEW_FAMILY_COUNT}}", Number(newFamily.Count), StringComparison.Ordinal)
            .Replace("{{VALIDATION_COUNT}}", Number(validation.Count), StringComparison.Ordinal)
            .Replace("{{FAMILY_TABLE}}", FamilyTable(tasks), StringComparison.Ordinal)
            .Replace("{{INTERPOLATION_TABLE}}", Table(interpolation, withRelated: true), StringComparison.Ordinal)
            .Replace("{{NEW_FAMILY_TABLE}}", Table(newFamily, withRelated: true), StringComparison.Ordinal)
            .Replace("{{VALIDATION_TABLE}}", Table(validation, withRelated: true), StringComparison.Ordinal);
    }

    private static string FamilyTable(IReadOnlyList<GeneratedTask> tasks)
    {
        var sb = new StringBuilder();
        sb.Append("| family | training tasks | interpolation (test) | validation | example training task | example | first description |\n");
        sb.Append("| --- | ---: | --- | --- | --- | --- | --- |\n");
        foreach (var family in tasks.Where(t => t.Spec.HeldoutGroup != HeldoutGroups.NewFamily).GroupBy(t => t.Spec.Family))
        {
            var train = family.Where(t => t.Spec.Split == TaskSplit.Train).ToList();
            var first = train[0];
            sb.Append(CultureInfo.InvariantCulture,
                $"| {family.Key} | {train.Count} | {Names(family.Where(t => t.Spec.Split == TaskSplit.Heldout))} | {Names(family.Where(t => t.Spec.Split == TaskSplit.Validation))} | `{first.Spec.Name}` | `{Cell(first.Test[0].Input)}` → `{Cell(first.Test[0].Output)}` | {Cell(first.Descriptions[0])} |\n");
        }

        return sb.ToString().TrimEnd('\n');

        static string Names(IEnumerable<GeneratedTask> group) =>
            string.Join(", ", group.Select(t => $"`{t.Spec.Name}`")) is { Length: > 0 } names ? names : "—";
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
                $"| `{task.Spec.Name}` | {task.Spec.Family} | {Cell(task.Spec.Summary)} | {SuiteRenderer.ScoringName(task.Spec.Scoring)} | {task.Train.Count} / {task.Test.Count} | `{Cell(example.Input)}` → `{Cell(example.Output)}` | {Cell(task.Descriptions[0])} |");
            sb.Append(withRelated ? $" {string.Join(", ", task.Spec.RelatedTo.Select(r => $"`{r}`"))} |\n" : "\n");
        }

        return sb.ToString().TrimEnd('\n');
    }

    private static string LoadTemplate(string resource)
    {
        using var stream = typeof(ReadmeRenderer).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded resource {resource} is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().ReplaceLineEndings("\n");
    }

    /// <summary>A Markdown table cell: a '|' would end the cell, so it is escaped.</summary>
    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);

    private static string Number(int n) => n.ToString("N0", CultureInfo.InvariantCulture);
}
