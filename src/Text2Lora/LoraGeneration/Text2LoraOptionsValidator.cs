using Microsoft.Extensions.Options;
using Text2Lora.IO.Hub;
using Text2Lora.Models;
using Text2Lora.Runtime;

namespace Text2Lora.LoraGeneration;

/// <summary>
/// The checks data annotations cannot express: the folders must exist, or be hub references
/// (<c>org/name[@revision][:subfolder]</c>, resolved when loading); device and dtype must be names
/// <see cref="ComputeDevice"/> and <see cref="ModelDType"/> accept. Names the field in each failure.
/// </summary>
internal sealed class Text2LoraOptionsValidator : IValidateOptions<Text2LoraOptions>
{
    public ValidateOptionsResult Validate(string? name, Text2LoraOptions options) => Validate(options, hypernetworkSupplied: false);

    public static ValidateOptionsResult Validate(Text2LoraOptions options, bool hypernetworkSupplied)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (!hypernetworkSupplied)
        {
            if (string.IsNullOrWhiteSpace(options.HypernetworkDirectory))
            {
                failures.Add($"{nameof(Text2LoraOptions.HypernetworkDirectory)} is required: the folder of the hypernetwork checkpoint.");
            }
            else if (!Directory.Exists(options.HypernetworkDirectory) && !HubReference.TryParse(options.HypernetworkDirectory, out _))
            {
                failures.Add($"{nameof(Text2LoraOptions.HypernetworkDirectory)} '{options.HypernetworkDirectory}' does not exist (and is not a hub reference org/name[@revision][:subfolder]).");
            }
        }

        if (options.BaseModelDirectory is { } baseModel && !Directory.Exists(baseModel) && !HubReference.TryParse(baseModel, out _))
        {
            failures.Add($"{nameof(Text2LoraOptions.BaseModelDirectory)} '{baseModel}' does not exist (and is not a hub reference org/name[@revision][:subfolder]).");
        }

        if (options.Device is { } device && !ComputeDevice.TryParse(device, out _))
        {
            failures.Add($"{nameof(Text2LoraOptions.Device)} '{device}' is not a device: use {ComputeDevice.Syntax}.");
        }

        if (options.DType is { } dtype && !ModelDType.TryParse(dtype, out _))
        {
            failures.Add($"{nameof(Text2LoraOptions.DType)} '{dtype}' is not a dtype: use {string.Join(", ", ModelDType.Names)}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
