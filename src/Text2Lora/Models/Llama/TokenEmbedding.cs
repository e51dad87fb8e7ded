using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Text2Lora.Models.Llama;

/// <summary>Token embedding table <c>weight</c> [vocab, hidden] (the state-dict key of <c>nn.Embedding</c>).</summary>
internal sealed class TokenEmbedding : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;

    public TokenEmbedding(string name, long vocabulary, long hidden, ScalarType dtype, Device device)
        : base(name)
    {
        weight = new Parameter(empty([vocabulary, hidden], dtype, device), requires_grad: false);
        RegisterComponents();
    }

    /// <summary>The table itself (shared with a tied output head; do not dispose).</summary>
    public Tensor Weight => weight;

    /// <summary>Rows of the table for <paramref name="input"/> ids [N, T] → [N, T, hidden].</summary>
    public override Tensor forward(Tensor input)
    {
        using var flat = input.reshape(-1);
        using var rows = weight.index_select(0, flat);
        return rows.view([.. input.shape, weight.shape[1]]);
    }
}
