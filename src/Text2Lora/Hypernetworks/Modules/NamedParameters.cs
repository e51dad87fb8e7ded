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
    private readonly Dictionary<string, Parameter> _byName = new(StringComparer.Ordinal);

    public NamedParameters(string name, IEnumerable<KeyValuePair<string, Tensor>> values, bool requiresGrad)
        : base(name)
    {
        foreach (var (key, value) in values)
        {
            var parameter = new Parameter(value, requiresGrad);
            register_parameter(key, parameter);
            _byName[key] = parameter;
        }
    }

    public Parameter this[string name] => _byName[name];
}
