using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Text2Lora.Models.Gte;

/// <summary>An embedding table <c>weight</c> [rows, hidden] (the state-dict key of <c>nn.Embedding</c>), allocated uninitialised.</summary>
internal sealed class GteEmbeddingTable : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;

    public GteEmbeddingTable(string name, long rows, long hidden, ScalarType dtype, Device device)
        : base(name)
    {
        weight = new Parameter(empty([rows, hidden], dtype, device), requires_grad: false);
        RegisterComponents();
    }

    /// <summary>Rows for ids [B, T] → [B, T, hidden] (a fresh tensor).</summary>
    public override Tensor forward(Tensor input)
    {
        using var flat = input.reshape(-1);
        using var rows = weight.index_select(0, flat);
        return rows.view([.. input.shape, weight.shape[1]]);
    }
}
