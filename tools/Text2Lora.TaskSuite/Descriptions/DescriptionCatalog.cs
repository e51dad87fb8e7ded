using YamlDotNet.Serialization;

namespace Text2Lora.TaskSuite.Descriptions;

/// <summary>
/// The hand-written task descriptions: one YAML file per family (plus <c>heldout.yaml</c> for every held-out task),
/// each a mapping from task name to its list of descriptions, embedded in the assembly.
/// </summary>
public static class DescriptionCatalog
{
    private const string ResourcePrefix = "Descriptions/";

    /// <summary>Task name → descriptions, in file order, from every embedded description file.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Load()
    {
        var assembly = typeof(DescriptionCatalog).Assembly;
        var deserializer = new DeserializerBuilder().Build();
        var result = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var resources = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".yaml", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
        foreach (var resource in resources)
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            var file = deserializer.Deserialize<Dictionary<string, List<string>>>(reader)
                ?? throw new InvalidOperationException($"{resource} is empty.");
            foreach (var (task, descriptions) in file)
            {
                if (!result.TryAdd(task, descriptions))
                {
                    throw new InvalidOperationException($"Task '{task}' has descriptions in more than one file ({resource}).");
                }
            }
        }

        return result;
    }
}
