using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Text2Lora.Hypernetworks.Modules;

/// <summary>
/// Parameters registered under arbitrary names (the reference's <c>nn.ParameterDict</c> keyed by target module),
/// so state-dict keys read <c>&lt;field&gt;.&lt;name&gt;</c>, e.g. <c>AB_offset.A.q_proj</c>.
/// </summary>
internal sealed class NamedParameters : Module
{
    public NamedParameters(string name, IEnumerable<KeyValuePair<string, Tensor>> values, bool requiresGrad)
        : base(name)
    {
        foreach (var (key, value) in values)
        {
            register_parameter(key, new Parameter(value, requiresGrad));
        }
    }

    /// <summary>
    /// The parameter registered as <paramref name="name"/>, looked up on every call: a dtype or device conversion
    /// (<c>Module.to</c>) replaces registered parameters, and a cached reference would go on reading the old one. A
    /// method, not an indexer: <c>Module.to</c> reflects over properties and trips over an indexer's name.
    /// </summary>
    public Parameter Get(string name) =>
        get_parameter(name) ?? throw new KeyNotFoundException($"No parameter '{name}'.");
}
