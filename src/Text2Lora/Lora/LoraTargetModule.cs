using System.Globalization;

namespace Text2Lora.Lora;

/// <summary>
/// One kind of linear layer LoRA can adapt in every decoder layer, e.g. <c>q_proj</c> at
/// <c>model.layers.{i}.self_attn.q_proj</c> with 4096 → 4096 features.
/// </summary>
/// <param name="Name">Short module name as used in <c>target_modules</c> (<c>q_proj</c>).</param>
/// <param name="PathTemplate">Module path with <c>{0}</c> for the layer index (<c>model.layers.{0}.self_attn.q_proj</c>).</param>
/// <param name="InFeatures">Input features of the linear layer (columns of A).</param>
/// <param name="OutFeatures">Output features of the linear layer (rows of B).</param>
public sealed record LoraTargetModule(string Name, string PathTemplate, int InFeatures, int OutFeatures)
{
    /// <summary>The module path in layer <paramref name="layer"/>.</summary>
    public string PathForLayer(int layer) => string.Format(CultureInfo.InvariantCulture, PathTemplate, layer);
}

/// <summary>Where LoRA can go in a base model: its layer count and the adaptable modules of each layer.</summary>
/// <param name="LayerCount">Number of decoder layers.</param>
/// <param name="Modules">Adaptable modules, in the model's canonical order.</param>
public sealed record LoraTargetDescription(int LayerCount, IReadOnlyList<LoraTargetModule> Modules)
{
    /// <summary>The module called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">The model has no such module; the message lists the ones it has.</exception>
    public LoraTargetModule Get(string name) =>
        Modules.FirstOrDefault(m => m.Name == name)
        ?? throw new ArgumentException($"The base model has no LoRA-adaptable module '{name}'; it has {string.Join(", ", Modules.Select(m => m.Name))}.", nameof(name));
}
