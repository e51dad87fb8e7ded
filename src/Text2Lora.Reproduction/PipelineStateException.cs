using Text2Lora.IO;

namespace Text2Lora.Reproduction;

/// <summary>A file of a pipeline output folder (e.g. <c>stage-times.json</c>) is malformed, or the folder is in use by another run.</summary>
public sealed class PipelineStateException(string path, string message, Exception? innerException = null)
    : InvalidFileFormatException(path, $"{path}: {message}", innerException);
