using Microsoft.Extensions.Options;

namespace Text2Lora.LoraGeneration;

/// <summary>The checks data annotations cannot express: the folders must exist. Names the field in each failure.</summary>
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
            else if (!Directory.Exists(options.HypernetworkDirectory))
            {
                failures.Add($"{nameof(Text2LoraOptions.HypernetworkDirectory)} '{options.HypernetworkDirectory}' does not exist.");
            }
        }

        if (options.BaseModelDirectory is { } baseModel && !Directory.Exists(baseModel))
        {
            failures.Add($"{nameof(Text2LoraOptions.BaseModelDirectory)} '{baseModel}' does not exist.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
