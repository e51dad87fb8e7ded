using System.CommandLine;
using Text2Lora.Cli.Commands;

var verbose = new Option<bool>("--verbose") { Description = "Print stack traces with errors.", Recursive = true };
var verbosity = new Option<string?>("--verbosity", "-v") { Description = "Log level, on stderr: quiet, error, warning, information (default), debug or trace.", Recursive = true };
verbosity.AcceptOnlyFromAmong(CliLogging.Verbosities);
var root = new RootCommand("t2l: Text-to-LoRA for .NET. Generate LoRA adapters from task descriptions; inspect and run models. " + CliErrors.ExitCodesHelp)
{
    verbose,
    verbosity,
};
foreach (var command in CommandCatalog.All())
{
    root.Subcommands.Add(command);
}

CliAliases.Apply(root);
var parse = root.Parse(args);
CliErrors.Verbose = parse.GetValue(verbose);
CliLogging.Level = parse.GetValue(verbosity) is { } level ? CliLogging.Parse(level) : null;
CliConsole.ConfigureDefault();
return await parse.InvokeAsync();
