using System.CommandLine;
using Spectre.Console;
using Text2Lora.Hypernetworks.Checkpoints;
using Text2Lora.Runtime;

namespace Text2Lora.Cli.Commands;

/// <summary>
/// <c>t2l export --hypernetwork DIR --format reference --output DIR</c>: writes a hypernetwork (either format) in the
/// T2L reference's format (<see cref="HypernetworkCheckpoint.SaveReference"/>), so the Python reference loads it.
/// </summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var hypernetwork = new Option<DirectoryInfo>("--hypernetwork") { Description = "The hypernetwork checkpoint folder to export.", Required = true };
        var baseModel = new Option<DirectoryInfo?>("--base-model") { Description = "For a reference checkpoint: overrides the base model it names; only its config.json is read." };
        var format = new Option<string>("--format") { Description = "The format to write: 'reference' (hypermod.pt, args.yaml, adapter_config.json).", DefaultValueFactory = _ => "reference" };
        format.AcceptOnlyFromAmong("reference");
        var output = new Option<DirectoryInfo>("--output") { Description = "Folder to write (must not exist or be empty).", Required = true };
        var command = new Command("export", "Write a hypernetwork in the T2L reference's checkpoint format.") { hypernetwork, baseModel, format, output };
        command.SetAction(parse => CliErrors.Run(() =>
        {
            TorchRuntime.EnsureAvailable();
            var destination = parse.GetValue(output)!.FullName;
            using var loaded = HypernetworkCheckpoint.Load(parse.GetValue(hypernetwork)!.FullName, parse.GetValue(baseModel)?.FullName);
            HypernetworkCheckpoint.SaveReference(loaded, destination);
            AnsiConsole.MarkupLine($"Wrote the reference-format hypernetwork to {Markup.Escape(destination)}");
        }));
        return command;
    }
}
