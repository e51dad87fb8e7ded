using System.CommandLine;
using Spectre.Console;
using Text2Lora.IO.Peft;
using Text2Lora.Runtime;

namespace Text2Lora.Cli.Commands;

/// <summary><c>t2l info DIR</c>: describes a PEFT adapter folder.</summary>
internal static class InfoCommand
{
    public static Command Create()
    {
        var directory = new Argument<DirectoryInfo>("DIR") { Description = "A PEFT adapter folder." };
        var command = new Command("info", "Describe an adapter folder.") { directory };
        command.SetAction(parse =>
        {
            var dir = parse.GetValue(directory)!;
            return CliErrors.Run(() => Describe(dir.FullName));
        });
        return command;
    }

    private static void Describe(string path)
    {
        if (File.Exists(Path.Combine(path, PeftAdapterFolder.ConfigFileName)))
        {
            TorchRuntime.EnsureAvailable();
            using var adapter = PeftAdapterFolder.Load(path);
            var config = adapter.Config;
            AnsiConsole.MarkupLine($"[bold]PEFT LoRA adapter[/] {Markup.Escape(path)}");
            AnsiConsole.MarkupLine($"  base model:      {Markup.Escape(config.BaseModelNameOrPath ?? "(not set)")}");
            AnsiConsole.MarkupLine($"  rank / alpha:    {config.R} / {config.LoraAlpha}{(config.UseRslora ? " (rsLoRA)" : "")}");
            AnsiConsole.MarkupLine($"  target modules:  {Markup.Escape(config.TargetModules?.ToString() ?? "(none)")}");
            AnsiConsole.MarkupLine($"  adapted modules: {adapter.Modules.Count}");
            var table = new Table().AddColumns("module", "A", "B", "scaling", "|B·A|_F");
            foreach (var (module, weights) in adapter.Modules)
            {
                using var delta = weights.DeltaWeight();
                table.AddRow(
                    Markup.Escape(module),
                    Markup.Escape($"[{string.Join(", ", weights.A.shape)}]"),
                    Markup.Escape($"[{string.Join(", ", weights.B.shape)}]"),
                    weights.Scaling.ToString("G4", System.Globalization.CultureInfo.InvariantCulture),
                    delta.norm().item<float>().ToString("G4", System.Globalization.CultureInfo.InvariantCulture));
            }

            AnsiConsole.Write(table);
            if (adapter.TaskDescription is { } description)
            {
                AnsiConsole.MarkupLine($"  task description: {Markup.Escape(description)}");
            }

            return;
        }

        throw new CliUsageException($"'{path}' is not a folder Text2Lora recognises (expected {PeftAdapterFolder.ConfigFileName}).");
    }
}
