using System.Text.Json.Nodes;
using Text2Lora.Encoders;
using Text2Lora.Hypernetworks;
using Text2Lora.Hypernetworks.Checkpoints;
using Text2Lora.Tests.Infrastructure;

namespace Text2Lora.Tests.Hypernetworks;

/// <summary><c>hypernetwork.json</c> records the description format, so a saved hypernetwork knows its encoder input.</summary>
[Trait(TestCategory.Key, TestCategory.Behaviour)]
public sealed class DescriptionFormatRecordTests
{
    [Fact]
    public void A_reference_checkpoint_saved_in_the_own_format_records_add_full_stop_and_its_encoder()
    {
        using var directory = new TempDirectory();
        using (var reference = HypernetworkCheckpoint.Load(FixturePaths.Get("t2l-gte")))
        {
            Assert.Null(reference.DescriptionFormat); // decided by the rule from emb_model
            HypernetworkCheckpoint.Save(reference, directory.Path);
        }

        var json = JsonNode.Parse(File.ReadAllText(directory.File(HypernetworkCheckpoint.ConfigFileName)))!;
        Assert.Equal("add_full_stop", (string?)json["description_format"]);
        Assert.Equal("gte/model", (string?)json["encoder_id"]);
        using var reloaded = HypernetworkCheckpoint.Load(directory.Path);
        Assert.Equal(DescriptionFormat.AddFullStop, reloaded.DescriptionFormat);
    }

    [Fact]
    public void Files_without_the_field_keep_the_whitespace_collapsing_of_older_versions()
    {
        using var directory = new TempDirectory();
        using (var reference = HypernetworkCheckpoint.Load(FixturePaths.Get("t2l-gte")))
        {
            HypernetworkCheckpoint.Save(reference, directory.Path);
        }

        var path = directory.File(HypernetworkCheckpoint.ConfigFileName);
        var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        json.Remove("description_format");
        File.WriteAllText(path, json.ToJsonString());
        using (var old = HypernetworkCheckpoint.Load(directory.Path))
        {
            Assert.Equal(DescriptionFormat.CollapseWhitespace, old.DescriptionFormat);
        }

        json["description_format"] = "shout";
        File.WriteAllText(path, json.ToJsonString());
        var error = Assert.Throws<HypernetworkCheckpointException>(() => HypernetworkCheckpoint.Load(directory.Path));
        Assert.Equal("description_format", error.Key);
        Assert.Contains("shout", error.Message, StringComparison.Ordinal);
    }
}
