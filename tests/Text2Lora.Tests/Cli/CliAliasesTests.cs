using System.CommandLine;
using Text2Lora.Cli.Commands;

namespace Text2Lora.Tests.Cli;

/// <summary>The short aliases parse to the same values as the long options, on every command that has them.</summary>
public sealed class CliAliasesTests
{
    private static RootCommand Root()
    {
        var root = new RootCommand();
        foreach (var command in CommandCatalog.All())
        {
            root.Subcommands.Add(command);
        }

        CliAliases.Apply(root);
        return root;
    }

    [Fact]
    public void Short_aliases_parse_like_the_long_options()
    {
        var root = Root();
        var shortForm = root.Parse(["demo", "-d", "Reverse the word.", "-m", "some/model"]);
        var longForm = root.Parse(["demo", "--description", "Reverse the word.", "--model", "some/model"]);

        Assert.Empty(shortForm.Errors);
        var demo = root.Subcommands.Single(c => c.Name == "demo");
        var description = demo.Options.Single(o => o.Name == "--description");
        var model = demo.Options.Single(o => o.Name == "--model");
        Assert.Equal(longForm.GetValue((Option<string>)description), shortForm.GetValue((Option<string>)description));
        Assert.Equal("some/model", shortForm.GetValue((Option<string?>)model));
    }

    [Fact]
    public void Every_output_description_model_and_config_option_has_its_letter()
    {
        static IEnumerable<Command> All(Command command) => command.Subcommands.SelectMany(All).Prepend(command);

        var options = All(Root()).SelectMany(c => c.Options).Where(o => CliAliases.Short.ContainsKey(o.Name)).ToList();

        Assert.NotEmpty(options);
        Assert.All(options, o => Assert.Contains(CliAliases.Short[o.Name], o.Aliases));
    }
}
