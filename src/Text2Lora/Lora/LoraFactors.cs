using static TorchSharp.torch;

namespace Text2Lora.Lora;

/// <summary>
/// The LoRA factors one linear layer applies in a forward pass: either one adapter for the whole batch
/// (A [r, in], B [out, r], a scalar scaling) or one adapter per sequence (A [N, r, in], B [N, out, r],
/// scalings [N, 1, 1]). Views over tensors owned by <see cref="ActiveAdapters"/>.
/// </summary>
internal sealed class LoraFactors
{
    private LoraFactors(Tensor a, Tensor b, double scaling, Tensor? perSequenceScaling, double dropout)
    {
        A = a;
        B = b;
        Scaling = scaling;
        PerSequenceScaling = perSequenceScaling;
        Dropout = dropout;
    }

    public Tensor A { get; }

    public Tensor B { get; }

    public double Scaling { get; }

    public Tensor? PerSequenceScaling { get; }

    public bool IsPerSequence => PerSequenceScaling is not null;

    /// <summary>PEFT's <c>lora_dropout</c> on the LoRA branch's input (0: none); only training passes set it.</summary>
    public double Dropout { get; }

    public long InFeatures => A.shape[^1];

    public long OutFeatures => B.shape[^2];

    public static LoraFactors Shared(Tensor a, Tensor b, double scaling, double dropout = 0) => new(a, b, scaling, null, dropout);

    public static LoraFactors PerSequence(Tensor a, Tensor b, Tensor scalings, double dropout = 0) => new(a, b, 0, scalings, dropout);

    /// <summary>
    /// The low-rank update for input <paramref name="x"/> [N, T, in]: <c>s · (x Aᵀ) Bᵀ</c> (PEFT layer.py order),
    /// never forming B·A. Per-sequence factors use batched matmuls over the stacked adapters. With
    /// <see cref="Dropout"/> the input of the LoRA branch only is dropped out first (PEFT's <c>lora_dropout(x)</c>),
    /// drawing from the global torch generator.
    /// </summary>
    public Tensor Delta(Tensor x)
    {
        using var scope = NewDisposeScope();
        if (Dropout > 0)
        {
            x = nn.functional.dropout(x, Dropout, training: true);
        }

        Tensor result;
        if (PerSequenceScaling is { } scalings)
        {
            if (x.shape[0] != A.shape[0])
            {
                throw new ArgumentException($"Per-sequence adapters were prepared for a batch of {A.shape[0]} but the input has {x.shape[0]} sequences.");
            }

            var down = bmm(x, A.transpose(1, 2));
            result = bmm(down, B.transpose(1, 2)).mul(scalings);
        }
        else
        {
            result = x.matmul(A.t()).matmul(B.t()).mul(Scaling);
        }

        return result.MoveToOuterDisposeScope();
    }
}
