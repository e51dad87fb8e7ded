using Text2Lora.Models;
using Text2Lora.Models.Llama;
using Text2Lora.Runtime;
using static TorchSharp.torch;

namespace Text2Lora.Cli.Commands;

/// <summary>A command's parsed <c>--device</c> and <c>--dtype</c> (see <see cref="ComputeOptions"/>), by name and as TorchSharp values.</summary>
internal sealed record ComputeSettings(string DeviceName, Device Device, string DTypeName, ScalarType DType)
{
    /// <summary>The defaults: float32 on the CPU.</summary>
    public static ComputeSettings Default { get; } = Parse(ComputeDevice.Cpu, ModelDType.Float32);

    /// <summary>How a base model is loaded with these settings.</summary>
    public ModelLoadOptions LoadOptions => new() { Device = Device, DType = DType };

    /// <summary>Parses option values.</summary>
    /// <exception cref="CliUsageException">A value is not a device or dtype name.</exception>
    public static ComputeSettings Parse(string device, string dtype)
    {
        if (!ComputeDevice.TryParse(device, out var parsedDevice))
        {
            throw new CliUsageException($"--device must be {ComputeDevice.Syntax} (got '{device}').");
        }

        if (!ModelDType.TryParse(dtype, out var parsedDType))
        {
            throw new CliUsageException($"--dtype must be {string.Join(", ", ModelDType.Names)} (got '{dtype}').");
        }

        return new ComputeSettings(device.Trim().ToLowerInvariant(), parsedDevice, ModelDType.NameOf(parsedDType), parsedDType);
    }

    /// <summary>
    /// Makes the device usable before any other libtorch work (a CUDA device is initialised first; a missing backend
    /// package is a <see cref="NativeBackendUnavailableException"/> naming it).
    /// </summary>
    public void EnsureAvailable() => TorchRuntime.EnsureAvailable(Device);
}
