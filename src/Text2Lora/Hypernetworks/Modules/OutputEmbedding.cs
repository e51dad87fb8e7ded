using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Text2Lora.Hypernetworks.Modules;

/// <summary>
/// The learned selectors of a shared A/B head (M and S sizes): <c>out_emb.&lt;m&gt;.A</c> and <c>.B</c>, each [latent];
/// the trunk output plus the normalised selector tells the head whether to emit A or B.
/// </summary>
internal sealed class OutputEmbedding : Module
{
    private readonly Parameter A;
    private readonly Parameter B;

    public OutputEmbedding(int latentSize)
        : base(nameof(OutputEmbedding))
    {
        // Reference init: N(0, 1), like an embedding row.
        A = new Parameter(randn(latentSize));
        B = new Parameter(randn(latentSize));
        RegisterComponents();
    }

    /// <summary>[2, latent]: the A selector, then the B selector.</summary>
    public Tensor Stacked() => stack([A, B]);
}
