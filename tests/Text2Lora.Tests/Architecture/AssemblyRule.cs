namespace Text2Lora.Tests.Architecture;

/// <summary>
/// Which project assemblies each assembly may reference (docs/architecture.md, "Assemblies"). An assembly missing from
/// the table is reported, so a new project has to be placed deliberately; an entry with a null list sits on top and may
/// reference anything.
/// </summary>
internal sealed class AssemblyRule(IReadOnlyDictionary<string, string[]?> allowed)
{
    /// <summary>Every reference of <paramref name="references"/> (assembly → project assemblies it references) the table forbids.</summary>
    public IReadOnlyList<string> Violations(IReadOnlyDictionary<string, IReadOnlyList<string>> references)
    {
        var violations = new List<string>();
        foreach (var (assembly, referenced) in references.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            if (!allowed.TryGetValue(assembly, out var may))
            {
                violations.Add($"{assembly} is not placed in the assembly table");
                continue;
            }

            if (may is null)
            {
                continue;
            }

            violations.AddRange(referenced.Where(r => !may.Contains(r, StringComparer.Ordinal)).Order(StringComparer.Ordinal).Select(r => $"{assembly} references {r}"));
        }

        return violations;
    }
}
