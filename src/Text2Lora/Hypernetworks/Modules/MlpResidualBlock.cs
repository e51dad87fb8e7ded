using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Text2Lora.Hypernetworks.Modules;

/// <summary>
/// The reference <c>MLPResidualBlock</c> with pre-LayerNorm and post-dropout:
/// <c>x + Dropout(SiLU(Linear(Dropout(SiLU(Linear(LN(x)))))))</c>; state-dict keys <c>mlp.0</c> (LN), <c>mlp.1</c>, <c>mlp.4</c>.
/// </summary>
internal sealed class MlpResidualBlock : Module<Tensor, Tensor>
{
    private readonly Sequential mlp;

    public MlpResidualBlock(int size, int hiddenSize, double dropout)
        : base(nameof(MlpResidualBlock))
    {
        mlp = Sequential(
            LayerNorm(size),
            Linear(size, hiddenSize),
            SiLU(),
            Dropout(dropout),
            Linear(hiddenSize, size),
            SiLU(),
            Dropout(dropout));
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var update = mlp.forward(input);
        return input.add(update);
    }
}
