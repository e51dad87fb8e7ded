using Text2Lora.IO.Hub;

namespace Text2Lora.Encoders;

/// <summary>
/// The <see cref="IModelFolderResolver"/> that also accepts Hugging Face hub references (<c>org/name[@revision][:subfolder]</c>),
/// downloading the encoder's files into the shared cache through <see cref="HubModelResolver"/>. Existing folders win;
/// what is neither a folder nor a hub reference fails with a <see cref="ModelFolderNotFoundException"/> naming it.
/// </summary>
public sealed class HubModelFolderResolver(HubModelResolver hub) : IModelFolderResolver
{
    private readonly HubModelResolver _hub = hub ?? throw new ArgumentNullException(nameof(hub));

    /// <inheritdoc />
    public string Resolve(string id, CancellationToken cancellationToken = default) =>
        LocalModelFolderResolver.Instance.Resolve(_hub.Resolve(id, ModelFileKind.Encoder, cancellationToken), cancellationToken);
}
