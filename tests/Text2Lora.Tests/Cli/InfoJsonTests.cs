using System.Text.Json.Nodes;
using Text2Lora.Cli.Commands;
using Text2Lora.Hypernetworks.Checkpoints;
using Text2Lora.Runtime;
using Text2Lora.Tests.TaskSuite;

namespace Text2Lora.Tests.Cli;

/// <summary><c>t2l info --json</c> on the committed tiny models; expected values read from the files themselves.</summary>
public sealed class InfoJsonTests
{
    private static readonly string Root = Path.GetDirectoryName(Path.GetDirectoryName(CommittedSuite.Root))!;

    public InfoJsonTests() => TorchRuntime.EnsureAvailable();

    [Fact]
    public void Hypernetwork_folder_gives_its_checkpoint_facts()
    {
        var folder = Path.Combine(Root, DemoCommand.DefaultHypernetwork);
        var checkpoint = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "hypernetwork.json")))!;

        var info = InfoCommand.DescribeAsJson(folder, new HypernetworkLoader());

        Assert.Equal("hypernetwork", (string?)info["kind"]);
        Assert.Equal((int)checkpoint["architecture"]!["task_emb_size"]!, (int)info["task_embedding_size"]!);
        Assert.Equal((int)checkpoint["rank"]!, (int)info["rank"]!);
        Assert.Equal((int)checkpoint["layer_count"]!, (int)info["layers"]!);
        Assert.NotEmpty(info["target_modules"]!.AsArray());
    }

    [Fact]
    public void Model_folder_gives_its_config()
    {
        var folder = Path.Combine(Root, DemoCommand.DefaultModel);

        var info = InfoCommand.DescribeAsJson(folder, new HypernetworkLoader());

        Assert.Equal("model", (string?)info["kind"]);
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "config.json")))!;
        Assert.Equal((int)config["hidden_size"]!, (int)info["config"]!["hidden_size"]!);
    }
}
