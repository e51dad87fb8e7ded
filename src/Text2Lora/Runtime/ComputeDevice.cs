using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace Text2Lora.Runtime;

/// <summary>
/// The devices Text2Lora runs on, by the names options, config files and the command line use:
/// <c>cpu</c> (default), <c>cuda</c> (the current CUDA device) or <c>cuda:N</c>.
/// Parsing is pure text work: it loads no native library, so it can run before <see cref="TorchRuntime.EnsureAvailable(Device)"/>.
/// </summary>
public static class ComputeDevice
{
    /// <summary>The default device name.</summary>
    public const string Cpu = "cpu";

    /// <summary>What the accepted names look like, for error messages and help texts.</summary>
    public const string Syntax = "cpu, cuda or cuda:N";

    /// <summary>Parses a device name (case-insensitive, surrounding spaces ignored); false for anything else.</summary>
    public static bool TryParse(string? name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Device? device)
    {
        device = null;
        var text = name?.Trim().ToLowerInvariant();
        if (text == Cpu)
        {
            device = new Device(DeviceType.CPU);
            return true;
        }

        if (text == "cuda")
        {
            device = new Device(DeviceType.CUDA);
            return true;
        }

        if (text is not null && text.StartsWith("cuda:", StringComparison.Ordinal)
            && text.Length > 5 && text[5..].All(char.IsAsciiDigit)
            && int.TryParse(text[5..], NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            device = new Device(DeviceType.CUDA, index);
            return true;
        }

        return false;
    }

    /// <summary>Parses a device name.</summary>
    /// <exception cref="ArgumentException">Not one of <see cref="Syntax"/>.</exception>
    public static Device Parse(string name) =>
        TryParse(name, out var device) ? device : throw new ArgumentException($"device must be {Syntax}; got '{name}'.", nameof(name));
}
