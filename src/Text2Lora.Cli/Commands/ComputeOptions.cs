using System.CommandLine;
using Text2Lora.Models;
using Text2Lora.Runtime;

namespace Text2Lora.Cli.Commands;

/// <summary>
/// <c>--device cpu|cuda|cuda:N</c> and <c>--dtype float32|bfloat16|float16</c>: the one definition every command that
/// loads a model adds (<see cref="AddTo"/>) and reads (<see cref="Read"/>). Values are checked when the command runs,
/// so a bad value is a usage error (exit 2) through <see cref="CliErrors"/>, before anything loads.
/// </summary>
internal sealed class ComputeOptions
{
    // No default value: "not given" must stay visible, so that train and reproduce keep what their config files say.
    private readonly Option<string?> _device = new("--device")
    {
        Description = $"Where the models run: {ComputeDevice.Syntax} (CUDA needs the {TorchRuntime.CudaLinuxPackage}/-windows backend package). Default: cpu, or the config file's.",
    };

    private readonly Option<string?> _dtype = new("--dtype")
    {
        Description = $"Precision the models are loaded and run in: {string.Join(", ", ModelDType.Names)}; weights are cast while loading. Default: float32, or the config file's.",
    };

    private ComputeOptions()
    {
    }

    /// <summary>Adds both options to <paramref name="command"/>; read them back with <see cref="Read"/>.</summary>
    public static ComputeOptions AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var options = new ComputeOptions();
        command.Options.Add(options._device);
        command.Options.Add(options._dtype);
        return options;
    }

    /// <summary>The parsed device and dtype (float32 on the CPU where not given).</summary>
    /// <exception cref="CliUsageException">A value is not a device or dtype name.</exception>
    public ComputeSettings Read(ParseResult parse) =>
        ComputeSettings.Parse(parse.GetValue(_device) ?? ComputeDevice.Cpu, parse.GetValue(_dtype) ?? ModelDType.Float32);

    /// <summary>
    /// What was given on the command line, checked and in canonical spelling, for overriding a config file's
    /// <c>device</c> and <c>dtype</c>; null where an option was not given.
    /// </summary>
    /// <exception cref="CliUsageException">A value is not a device or dtype name.</exception>
    public (string? Device, string? DType) ReadOverrides(ParseResult parse)
    {
        var (device, dtype) = (parse.GetValue(_device), parse.GetValue(_dtype));
        var parsed = ComputeSettings.Parse(device ?? ComputeDevice.Cpu, dtype ?? ModelDType.Float32);
        return (device is null ? null : parsed.DeviceName, dtype is null ? null : parsed.DTypeName);
    }
}
