using System.CommandLine;

namespace Text2Lora.Cli.Commands;

/// <summary>Every t2l subcommand; each lives in its own file and exposes <c>Create()</c>.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All()
    {
        yield return InfoCommand.Create();
        yield return LogitsCommand.Create();
    }
}
