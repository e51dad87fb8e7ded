using System.CommandLine;
using Text2Lora.Cli.Commands;
using Text2Lora.Evaluation.Benchmarks;
using Text2Lora.Evaluation.Running;
using Text2Lora.IO.Hub;
using Text2Lora.Tests.Infrastructure;

namespace Text2Lora.Tests.Cli;

/// <summary>Enum options show their values and defaults in lower case (as the docs write them) and accept any case.</summary>
[Trait(TestCategory.Key, TestCategory.Behaviour)]
public sealed class LowerCaseEnumOptionTests
{
    private static RootCommand Root()
    {
        var root = new RootCommand();
        foreach (var command in CommandCatalog.All())
        {
            root.Subcommands.Add(command);
        }

        return root;
    }

    private static string Help(params string[] args)
    {
        using var writer = new StringWriter();
        Assert.Equal(0, Root().Parse([.. args, "--help"]).Invoke(new InvocationConfiguration { Output = writer }));
        return writer.ToString();
    }

    [Fact]
    public void Eval_help_lists_values_and_defaults_in_lower_case()
    {
        var help = Help("eval");

        Assert.Contains("--prompt-format <t2l|harness>", help, StringComparison.Ordinal);
        Assert.Contains("[default: t2l]", help, StringComparison.Ordinal);
        Assert.Contains("--scoring <loglikelihood|generation>", help, StringComparison.Ordinal);
        Assert.Contains("[default: loglikelihood]", help, StringComparison.Ordinal);
        foreach (var pascal in new[] { "T2l", "Harness", "LogLikelihood", "Generation" })
        {
            Assert.DoesNotContain($"{pascal}]", help, StringComparison.Ordinal);
            Assert.DoesNotContain($"<{pascal}|", help, StringComparison.Ordinal);
            Assert.DoesNotContain($"|{pascal}>", help, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Download_help_shows_the_kind_default_in_lower_case()
    {
        var help = Help("download");

        Assert.Contains("--kind <basemodel|modelconfig|hypernetwork|encoder|adapter|all>", help, StringComparison.Ordinal);
        Assert.Contains("[default: basemodel]", help, StringComparison.Ordinal);
        Assert.DoesNotContain("BaseModel", help, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("harness", BenchmarkPromptFormat.Harness)]
    [InlineData("HARNESS", BenchmarkPromptFormat.Harness)]
    [InlineData("T2L", BenchmarkPromptFormat.T2l)]
    public void Values_are_accepted_in_any_case(string given, BenchmarkPromptFormat expected)
    {
        var option = new LowerCaseEnumOption<BenchmarkPromptFormat>("--prompt-format", "Format.", BenchmarkPromptFormat.T2l);
        var command = new RootCommand { option.Option };

        var parse = command.Parse(["--prompt-format", given]);

        Assert.Empty(parse.Errors);
        Assert.Equal(expected, option.Read(parse));
    }

    [Fact]
    public void Missing_value_reads_the_default_and_an_unknown_one_is_a_parse_error()
    {
        var option = new LowerCaseEnumOption<ScoringMethod>("--scoring", "Scoring.", ScoringMethod.LogLikelihood);
        var command = new RootCommand { option.Option };

        Assert.Equal(ScoringMethod.LogLikelihood, option.Read(command.Parse([])));
        Assert.NotEmpty(command.Parse(["--scoring", "guess"]).Errors);
        Assert.Equal(ModelFileKind.All, new LowerCaseEnumOption<ModelFileKind>("--kind", "Kind.", ModelFileKind.All).Read(new RootCommand().Parse([])));
    }
}
