using YamlDotNet.Serialization;

namespace Text2Lora.TaskSuite.V2;

/// <summary>
/// The v2 description templates: <c>V2/Templates/*.yaml</c>, embedded, each a mapping from template family to its
/// <c>train:</c> templates (descriptions of training tasks) and <c>heldout:</c> templates (descriptions of held-out
/// and validation tasks only). The two lists of a family, and of all families, share no template.
/// </summary>
public sealed class TemplateCatalog
{
    private const string ResourcePrefix = "V2Templates/";

    private TemplateCatalog(IReadOnlyDictionary<string, FamilyTemplates> families) => Families = families;

    /// <summary>Template family → its templates.</summary>
    public IReadOnlyDictionary<string, FamilyTemplates> Families { get; }

    /// <summary>Every training template of every family.</summary>
    public IEnumerable<DescriptionTemplate> AllTraining => Families.Values.SelectMany(f => f.Train);

    /// <summary>Every held-out template of every family.</summary>
    public IEnumerable<DescriptionTemplate> AllHeldout => Families.Values.SelectMany(f => f.Heldout);

    /// <summary>Loads the embedded template files.</summary>
    /// <exception cref="InvalidOperationException">A family is defined twice, or a template is both a training and a held-out one.</exception>
    public static TemplateCatalog Load()
    {
        var assembly = typeof(TemplateCatalog).Assembly;
        var deserializer = new DeserializerBuilder().Build();
        var families = new SortedDictionary<string, FamilyTemplates>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames()
                     .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal))
                     .Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            var file = deserializer.Deserialize<Dictionary<string, Dictionary<string, List<string>>>>(reader)
                ?? throw new InvalidOperationException($"{resource} is empty.");
            foreach (var (family, lists) in file)
            {
                var train = lists.TryGetValue("train", out var t) ? t : [];
                var heldout = lists.TryGetValue("heldout", out var h) ? h : [];
                if (lists.Keys.Except(["train", "heldout"]).FirstOrDefault() is { } unknown)
                {
                    throw new InvalidOperationException($"{resource}: family '{family}' has an unknown key '{unknown}'.");
                }

                if (!families.TryAdd(family, new FamilyTemplates([.. train.Select(x => new DescriptionTemplate(x))], [.. heldout.Select(x => new DescriptionTemplate(x))])))
                {
                    throw new InvalidOperationException($"{resource}: template family '{family}' is defined twice.");
                }
            }
        }

        var catalog = new TemplateCatalog(families);
        var trainTexts = catalog.AllTraining.Select(t => t.Text).ToHashSet(StringComparer.Ordinal);
        var shared = catalog.AllHeldout.Select(t => t.Text).Where(trainTexts.Contains).ToList();
        return shared.Count > 0
            ? throw new InvalidOperationException($"Templates used for both training and held-out descriptions: {string.Join("; ", shared)}.")
            : catalog;
    }

    /// <summary>The templates of <paramref name="family"/>.</summary>
    public FamilyTemplates this[string family] =>
        Families.TryGetValue(family, out var templates) ? templates : throw new InvalidOperationException($"No templates for family '{family}'.");
}

