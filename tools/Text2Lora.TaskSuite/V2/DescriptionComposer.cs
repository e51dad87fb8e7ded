using Text2Lora.TaskSuite.Generation;
using Text2Lora.TaskSuite.Tasks;

namespace Text2Lora.TaskSuite.V2;

/// <summary>
/// Picks a task's descriptions from its family's templates: training tasks from the <c>train:</c> templates,
/// held-out and validation tasks from the <c>heldout:</c> templates only. Each template's expansions are shuffled
/// and the templates are visited round-robin in a shuffled order, so every template contributes and no
/// phrasing dominates.
/// </summary>
public static class DescriptionComposer
{
    /// <summary>The descriptions of <paramref name="task"/>.</summary>
    /// <exception cref="InvalidOperationException">The templates give fewer distinct descriptions than required.</exception>
    public static IReadOnlyList<string> Compose(SuiteV2Task task, TemplateCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(catalog);
        var training = task.Spec.Split == TaskSplit.Train;
        var templates = training ? catalog[task.TemplateFamily].Train : catalog[task.TemplateFamily].Heldout;
        var count = training ? SuiteV2Settings.TrainingDescriptions : SuiteV2Settings.HeldoutDescriptions;
        var random = SuiteRandom.ForStream(SuiteV2Settings.Seed, "descriptions/" + task.Spec.Name);
        var expansions = templates.Select(t =>
        {
            var list = t.Expand(task.Slots).ToList();
            random.Shuffle(list);
            return list;
        }).ToList();
        var order = Enumerable.Range(0, templates.Count).ToList();
        random.Shuffle(order);

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<string>(count);
        for (var round = 0; result.Count < count && expansions.Any(e => e.Count > round); round++)
        {
            foreach (var i in order.Where(i => expansions[i].Count > round))
            {
                if (result.Count < count && seen.Add(expansions[i][round]))
                {
                    result.Add(expansions[i][round]);
                }
            }
        }

        return result.Count == count
            ? result
            : throw new InvalidOperationException(
                $"Task '{task.Spec.Name}': its {(training ? "training" : "held-out")} templates of '{task.TemplateFamily}' give {result.Count} distinct descriptions; {count} are required.");
    }
}
