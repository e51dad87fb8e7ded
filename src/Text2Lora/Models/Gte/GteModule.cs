using TorchSharp;
using static TorchSharp.torch;

namespace Text2Lora.Models.Gte;

/// <summary>The module tree of <c>NewModel</c> with its state-dict names: <c>embeddings.*</c> and <c>encoder.layer.{i}.*</c>.</summary>
internal sealed class GteModule : nn.Module
{
    private readonly GteEmbeddings embeddings;
    private readonly GteEncoderStack encoder;

    public GteModule(GteConfig config, ScalarType dtype, Device device)
        : base("NewModel")
    {
        embeddings = new GteEmbeddings(config, dtype, device);
        encoder = new GteEncoderStack(config, dtype, device);
        RegisterComponents();
    }

    public GteEmbeddings Embeddings => embeddings;

    public IReadOnlyList<GteLayer> Layers => encoder.Layers;
}
