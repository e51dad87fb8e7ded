using Microsoft.Extensions.Options;
using Text2Lora.Hypernetworks.Checkpoints;
using Text2Lora.LoraGeneration;

namespace Text2Lora.DependencyInjection;

/// <summary>
/// Start-up checks of what a folder holds, so a swapped or wrong folder fails when the host starts, not on the first
/// request: a local <see cref="Text2LoraOptions.HypernetworkDirectory"/> must hold a hypernetwork checkpoint
/// (<c>hypernetwork.json</c> or the reference's <c>hypermod.pt</c>), a local <see cref="Text2LoraOptions.BaseModelDirectory"/>
/// a model <c>config.json</c>; and a registration with a base model (<c>AddBaseModel</c>/<c>AddChatClient</c>) must
/// name one. Hub references are checked when they are resolved. The hypernetwork folder is only checked when the
/// registered <see cref="Abstractions.IHypernetworkLoader"/> is the library's (another loader decides what its folders hold), and
/// the base model folder when that loader or a registered base model reads it; a hypernetwork instance registered before
/// <c>AddText2Lora</c> is not loaded from the folder, so the folder is not checked.
/// </summary>
internal sealed class Text2LoraFolderKindValidator(
    IEnumerable<BaseModelRegistration> baseModels, IEnumerable<SuppliedHypernetworkRegistration> suppliedHypernetworks, Abstractions.IHypernetworkLoader loader)
    : IValidateOptions<Text2LoraOptions>
{
    /// <summary>The reference checkpoint's weights file.</summary>
    internal const string ReferenceCheckpointFile = "hypermod.pt";

    public ValidateOptionsResult Validate(string? name, Text2LoraOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var optionsName = name ?? Options.DefaultName;
        var libraryLoader = loader is HypernetworkLoader && !suppliedHypernetworks.Any(r => Text2LoraRegistration.OptionsName(r.ServiceKey) == optionsName);
        var baseModelRegistered = baseModels.Any(r => Text2LoraRegistration.OptionsName(r.ServiceKey) == optionsName);
        if (libraryLoader && options.HypernetworkDirectory is { } hypernetwork && Directory.Exists(hypernetwork)
            && !File.Exists(Path.Combine(hypernetwork, NativeCheckpoint.ConfigFileName)) && !File.Exists(Path.Combine(hypernetwork, ReferenceCheckpointFile)))
        {
            var hint = File.Exists(Path.Combine(hypernetwork, "config.json")) ? " (it looks like a base model folder)" : "";
            failures.Add($"{nameof(Text2LoraOptions.HypernetworkDirectory)} '{hypernetwork}' is not a hypernetwork checkpoint: it has neither {NativeCheckpoint.ConfigFileName} nor {ReferenceCheckpointFile}{hint}.");
        }

        if ((libraryLoader || baseModelRegistered) && options.BaseModelDirectory is { } baseModel && Directory.Exists(baseModel) && !File.Exists(Path.Combine(baseModel, "config.json")))
        {
            var hint = File.Exists(Path.Combine(baseModel, NativeCheckpoint.ConfigFileName)) ? " (it looks like a hypernetwork folder)" : "";
            failures.Add($"{nameof(Text2LoraOptions.BaseModelDirectory)} '{baseModel}' is not a model folder: it has no config.json{hint}.");
        }

        if (options.BaseModelDirectory is null && baseModelRegistered)
        {
            failures.Add($"{nameof(Text2LoraOptions.BaseModelDirectory)} is required by AddBaseModel()/AddChatClient(): the base model's folder or hub reference.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>Marks that the application registered its own <c>IHypernetwork</c> under this key before <c>AddText2Lora</c>.</summary>
internal sealed record SuppliedHypernetworkRegistration(object? ServiceKey);
