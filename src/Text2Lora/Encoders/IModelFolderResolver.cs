namespace Text2Lora.Encoders;

/// <summary>
/// Turns a model id that is not a local folder (e.g. the hub id <c>Alibaba-NLP/gte-large-en-v1.5</c>) into a local
/// folder holding the model files, for example by downloading it. Text2Lora asks it only after the id was not found
/// as a folder (see <see cref="TaskEncoderLoader"/>).
/// </summary>
public interface IModelFolderResolver
{
    /// <summary>The local folder of <paramref name="id"/>.</summary>
    /// <exception cref="ModelFolderNotFoundException">The id cannot be resolved; the message names it.</exception>
    string Resolve(string id, CancellationToken cancellationToken = default);
}
