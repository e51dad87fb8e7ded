namespace Text2Lora.IO.Pickle;

/// <summary>One tensor of a <c>torch.save</c> state dict as its pickle describes it (no data read).</summary>
/// <param name="Name">State-dict key.</param>
/// <param name="StorageType">Storage class name, e.g. <c>FloatStorage</c>.</param>
/// <param name="Shape">Tensor shape.</param>
internal sealed record TorchTensorEntry(string Name, string StorageType, long[] Shape)
{
    /// <summary>The storage's key: its bytes are the zip entry <c>&lt;stem&gt;/data/&lt;key&gt;</c>.</summary>
    public string StorageKey { get; init; } = "";

    /// <summary>Elements in the storage, as the pickle declares.</summary>
    public long StorageElements { get; init; }

    /// <summary>The tensor's first element within the storage.</summary>
    public long StorageOffset { get; init; }

    /// <summary>Element strides per dimension.</summary>
    public long[] Stride { get; init; } = [];

    /// <summary>
    /// Storage elements the view reaches: offset + Σ (size−1)·stride + 1 (0 for an empty tensor), or null when a size or
    /// stride is negative, the ranks differ, or the sum overflows.
    /// </summary>
    public long? RequiredStorageElements()
    {
        if (Shape.Length != Stride.Length || StorageOffset < 0 || Shape.Any(s => s < 0) || Stride.Any(s => s < 0))
        {
            return null;
        }

        if (Shape.Any(s => s == 0))
        {
            return 0;
        }

        try
        {
            var last = StorageOffset;
            for (var i = 0; i < Shape.Length; i++)
            {
                last = checked(last + checked((Shape[i] - 1) * Stride[i]));
            }

            return checked(last + 1);
        }
        catch (OverflowException)
        {
            return null;
        }
    }
}
