using Text2Lora.TaskSuite.Generation;
using Text2Lora.TaskSuite.Output;
using Text2Lora.TaskSuite.Tasks;

namespace Text2Lora.TaskSuite.V2;

/// <summary>
/// Builds suite v2 in memory. Held-out and validation tasks are generated first and every one of their
/// input/output pairs (train and test splits) is reserved; the training tasks then never use an input whose pair
/// is reserved, so no held-out example occurs in any file a model is trained on (the leakage rule).
/// Pure and deterministic.
/// </summary>
public static class SuiteV2Generator
{
    /// <summary>All files of <c>data/task-suite-v2</c>: the tasks, the manifest, the README and the generic pretraining corpus.</summary>
    public static SortedDictionary<string, string> Render()
    {
        var tasks = Generate();
        var files = SuiteRenderer.Render(tasks, SuiteV2Settings.Edition);
        files[GenericCorpus.RelativePath] = SuiteRenderer.RenderJsonLines(GenericCorpus.Build(Reserved(tasks)));
        return files;
    }

    /// <summary>Every example (train and test) of the held-out and validation tasks among <paramref name="tasks"/>.</summary>
    public static HashSet<TaskExample> Reserved(IEnumerable<GeneratedTask> tasks) =>
        [.. tasks.Where(t => t.Spec.Split != TaskSplit.Train).SelectMany(t => t.Train.Concat(t.Test))];

    /// <summary>Generates every task of <see cref="SuiteV2Catalog"/>, in catalog order.</summary>
    public static IReadOnlyList<GeneratedTask> Generate()
    {
        var catalog = TemplateCatalog.Load();
        var tasks = SuiteV2Catalog.All();
        var duplicate = tasks.GroupBy(t => t.Spec.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"Task name '{duplicate.Key}' is used twice.");
        }

        var reserved = new HashSet<TaskExample>();
        var generated = new Dictionary<string, GeneratedTask>(StringComparer.Ordinal);
        foreach (var task in tasks.Where(t => t.Spec.Split != TaskSplit.Train))
        {
            var result = Generate(task, catalog, null);
            reserved.UnionWith(result.Train);
            reserved.UnionWith(result.Test);
            generated[task.Spec.Name] = result;
        }

        foreach (var task in tasks.Where(t => t.Spec.Split == TaskSplit.Train))
        {
            generated[task.Spec.Name] = Generate(task, catalog, reserved);
        }

        var ordered = tasks.Select(t => generated[t.Spec.Name]).ToList();
        var shared = ordered.SelectMany(t => t.Descriptions.Select(d => (t.Spec.Name, d))).GroupBy(x => x.d).FirstOrDefault(g => g.Count() > 1);
        return shared is null
            ? ordered
            : throw new InvalidOperationException($"Description '{shared.Key}' is used by {string.Join(" and ", shared.Select(x => x.Name))}.");
    }

    private static GeneratedTask Generate(SuiteV2Task task, TemplateCatalog catalog, IReadOnlySet<TaskExample>? reserved)
    {
        var descriptions = DescriptionComposer.Compose(task, catalog);
        return SuiteGenerator.GenerateTask(task.Spec, descriptions, SuiteV2Settings.Seed, descriptions.Count, reserved);
    }
}
