namespace Text2Lora.IO.Pickle;

/// <summary>A file is not a <c>torch.save</c> zip checkpoint Text2Lora can read; names the file.</summary>
public sealed class TorchCheckpointFormatException : InvalidFileFormatException
{
    /// <summary>Creates the exception.</summary>
    public TorchCheckpointFormatException(string path, string problem, Exception? innerException = null)
        : base(path, $"Invalid PyTorch checkpoint '{path}': {problem}", innerException)
    {
    }

    /// <summary>Creates the exception naming the zip entry or state-dict key at fault.</summary>
    public TorchCheckpointFormatException(string path, string? field, string problem, Exception? innerException = null)
        : base(path, field, null, $"Invalid PyTorch checkpoint '{path}'{(field is null ? "" : $" ('{field}')")}: {problem}", innerException)
    {
    }
}
