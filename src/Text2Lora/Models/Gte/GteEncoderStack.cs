using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Text2Lora.Models.Gte;

/// <summary><c>encoder</c>: the layers <c>encoder.layer.{i}</c>, run in order; no final norm.</summary>
internal sealed class GteEncoderStack : nn.Module
{
    private readonly ModuleList<GteLayer> layer;

    public GteEncoderStack(GteConfig config, ScalarType dtype, Device device)
        : base("encoder")
    {
        layer = new ModuleList<GteLayer>([.. Enumerable.Range(0, config.NumHiddenLayers).Select(i => new GteLayer(i, config, dtype, device))]);
        RegisterComponents();
    }

    public IReadOnlyList<GteLayer> Layers => [.. layer];
}
