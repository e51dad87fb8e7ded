namespace Text2Lora.Tests.Architecture;

/// <summary>
/// An ordered list of layers, bottom first; each layer is a set of namespace prefixes. A namespace belongs to the layer
/// of its longest matching prefix. A namespace may depend on its own layer and on layers below; every namespace of the
/// assembly must belong to a layer, so a new folder has to be placed deliberately.
/// </summary>
internal sealed class LayerRule(IReadOnlyList<string[]> layers)
{
    /// <summary>The layer index of <paramref name="ns"/>, or -1 when no prefix matches.</summary>
    public int LayerOf(string ns)
    {
        var best = -1;
        var bestLength = -1;
        for (var i = 0; i < layers.Count; i++)
        {
            foreach (var prefix in layers[i])
            {
                var matches = ns == prefix || ns.StartsWith(prefix + ".", StringComparison.Ordinal);
                if (matches && prefix.Length > bestLength)
                {
                    best = i;
                    bestLength = prefix.Length;
                }
            }
        }

        return best;
    }

    /// <summary>One line per namespace outside every layer and per reference that points to a higher layer.</summary>
    public IReadOnlyList<string> Violations(NamespaceGraph graph)
    {
        var violations = new List<string>();
        foreach (var ns in graph.Namespaces.Order(StringComparer.Ordinal))
        {
            var layer = LayerOf(ns);
            if (layer < 0)
            {
                violations.Add($"{ns} belongs to no layer");
                continue;
            }

            foreach (var target in graph.DependenciesOf(ns))
            {
                var targetLayer = LayerOf(target);
                if (targetLayer > layer)
                {
                    violations.Add($"{ns} (layer {layer}) references {target} (layer {targetLayer})");
                }
            }
        }

        return violations;
    }
}
