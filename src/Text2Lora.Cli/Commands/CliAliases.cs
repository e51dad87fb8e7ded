using System.CommandLine;

namespace Text2Lora.Cli.Commands;

/// <summary>
/// Short aliases for the options most commands share, added in one place so every command gets the same letters:
/// <c>-o</c> <c>--output</c>, <c>-d</c> <c>--description</c>, <c>-m</c> <c>--model</c>, <c>-c</c> <c>--config</c>
/// (<c>-v</c> is <c>--verbosity</c>, on the root command).
/// </summary>
internal static class CliAliases
{
    /// <summary>Long option name → its short alias.</summary>
    internal static readonly IReadOnlyDictionary<string, string> Short = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["--output"] = "-o",
        ["--description"] = "-d",
        ["--model"] = "-m",
        ["--config"] = "-c",
    };

    /// <summary>Adds the aliases to <paramref name="command"/> and its subcommands, where the letter is still free.</summary>
    public static void Apply(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var taken = command.Options.SelectMany(o => o.Aliases.Append(o.Name)).ToHashSet(StringComparer.Ordinal);
        foreach (var option in command.Options)
        {
            if (Short.TryGetValue(option.Name, out var alias) && taken.Add(alias))
            {
                option.Aliases.Add(alias);
            }
        }

        foreach (var subcommand in command.Subcommands)
        {
            Apply(subcommand);
        }
    }
}
