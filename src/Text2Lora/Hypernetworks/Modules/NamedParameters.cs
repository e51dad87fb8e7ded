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
    /// The parameter registered as <paramref name="name"/>, looked up on each call: <c>Module.to(device or dtype)</c>
    /// replaces registered parameters, so a cached reference would point at the disposed original. (A method, not an
    /// indexer: TorchSharp's <c>to</c> indexes public properties by name and fails on an indexer's "Item".)
    /// </summary>
    public Parameter Get(string name) =>
        get_parameter(name) ?? throw new KeyNotFoundException($"'{name}' is not a parameter of {GetName()}.");
}
