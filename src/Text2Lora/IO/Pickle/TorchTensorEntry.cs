namespace Text2Lora.IO.Pickle;

/// <summary>One tensor of a <c>torch.save</c> state dict as its pickle describes it (no data read).</summary>
/// <param name="Name">State-dict key.</param>
/// <param name="StorageType">Storage class name, e.g. <c>FloatStorage</c>.</param>
/// <param name="Shape">Tensor shape.</param>
internal sealed record TorchTensorEntry(string Name, string StorageType, long[] Shape);
