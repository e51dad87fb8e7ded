using System.CommandLine;
using Text2Lora.Cli.Commands;

var root = new RootCommand("t2l: Text-to-LoRA for .NET. Generate LoRA adapters from task descriptions; inspect and run models.");
foreach (var command in CommandCatalog.All())
{
    root.Subcommands.Add(command);
}

return await root.Parse(args).InvokeAsync();
