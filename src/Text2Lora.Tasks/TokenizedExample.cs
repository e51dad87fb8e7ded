namespace Text2Lora.Tasks;

/// <summary>An example ready for the LM loss: labels equal the ids on completion tokens and <see cref="IgnoreIndex"/> on prompt tokens.</summary>
/// <param name="InputIds">Prompt ids followed by completion ids.</param>
/// <param name="Labels">Same length as <paramref name="InputIds"/>.</param>
public sealed record TokenizedExample(IReadOnlyList<int> InputIds, IReadOnlyList<int> Labels)
{
    /// <summary>Label of a position the loss ignores (PyTorch's cross-entropy default).</summary>
    public const int IgnoreIndex = -100;
}
