using System.CommandLine;
using Text2Lora.Cli.Commands;

var verbose = new Option<bool>("--verbose") { Description = "Print stack traces with errors.", Recursive = true };
var root = new RootCommand("t2l: Text-to-LoRA for .NET. Generate LoRA adapters from task descriptions; inspect and run models. " + CliErrors.ExitCodesHelp)
{
    verbose,
};
foreach (var command in CommandCatalog.All())
{
    root.Subcommands.Add(command);
}

var parse = root.Parse(args);
CliErrors.Verbose = parse.GetValue(verbose);
return await parse.InvokeAsync();
