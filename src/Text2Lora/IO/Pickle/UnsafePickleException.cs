namespace Text2Lora.IO.Pickle;

/// <summary>
/// A pickle (e.g. the <c>data.pkl</c> of a <c>torch.save</c> checkpoint) would import or call something outside
/// the allowlist of tensors, ordered dicts and plain containers, or uses an opcode that could. Raised before
/// anything is unpickled; names the file and the offending global or opcode.
/// </summary>
public sealed class UnsafePickleException : InvalidFileFormatException
{
    /// <summary>Creates the exception.</summary>
    public UnsafePickleException(string path, string? global, string problem)
        : base(path, global, null, $"Refusing to unpickle '{path}': {problem}", null)
    {
        Global = global;
    }

    /// <summary>The refused global as <c>module.name</c> (e.g. <c>os.system</c>), or null when an opcode was refused.</summary>
    public string? Global { get; }
}
