using Text2Lora.Hypernetworks.Checkpoints;
using System.CommandLine;

namespace Text2Lora.Cli.Commands;

/// <summary>Every t2l subcommand; each lives in its own file and exposes <c>Create()</c>.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All()
    {
        var hypernetworks = new HypernetworkLoader();
        yield return InfoCommand.Create(hypernetworks);
        yield return GenerateCommand.Create(hypernetworks);
        yield return LogitsCommand.Create();
        yield return RunCommand.Create();
        yield return EvalCommand.Create(new EvalModelFactory(hypernetworks).CreateAsync);
    }
}
