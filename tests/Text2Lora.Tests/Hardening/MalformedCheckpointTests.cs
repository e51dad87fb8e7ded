using System.IO.Compression;
using System.Text.Json.Nodes;
using Text2Lora.Hypernetworks;
using Text2Lora.Hypernetworks.Checkpoints;
using Text2Lora.IO;
using Text2Lora.IO.Pickle;
using Text2Lora.Tests.Hypernetworks;
using Text2Lora.Tests.Infrastructure;
using Xunit;

namespace Text2Lora.Tests.Hardening;

/// <summary>
/// Regression tests for the checkpoint escapes of issue 14: each malformed <c>hypermod.pt</c> or
/// <c>hypernetwork.json</c> used to escape as an untyped exception or a huge allocation and is now a typed error
/// naming the file and the key.
/// </summary>
[Collection(nameof(Text2Lora.Tests.Training.GlobalTorchRngCollection))] // builds hypernetworks with the global generator
[Trait(TestCategory.Key, TestCategory.InputErrors)]
public sealed class MalformedCheckpointTests
{
    [Fact]
    public void A_well_formed_hand_written_checkpoint_passes_inspection()
    {
        // Control for the tests below: the writer itself produces what Inspect accepts.
        using var directory = new TempDirectory();
        var path = directory.File("hypermod.pt");
        TorchSaveWriter.Write(path, [TorchSaveWriter.Contiguous("w", "0", 2, 3), TorchSaveWriter.Contiguous("b", "1", 3)]);

        var entries = TorchZipCheckpoint.Inspect(path);

        Assert.Equal(["w", "b"], entries.Select(e => e.Name));
        Assert.Equal([2L, 3L], entries[0].Shape);
    }

    [Fact]
    public void A_missing_storage_entry_names_the_tensor()
    {
        using var directory = new TempDirectory();
        var path = directory.File("hypermod.pt");
        TorchSaveWriter.Write(path, [TorchSaveWriter.Contiguous("w", "0", 2, 3), TorchSaveWriter.Contiguous("b", "1", 3)]);
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Update))
        {
            zip.GetEntry("archive/data/1")!.Delete();
        }

        var error = Assert.Throws<TorchCheckpointFormatException>(() => TorchZipCheckpoint.Inspect(path));
        Assert.Equal("b", error.Field);
        Assert.Equal(path, error.FilePath);
        Assert.Contains("archive/data/1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_storage_shorter_than_declared_is_refused()
    {
        using var directory = new TempDirectory();
        var path = directory.File("hypermod.pt");
        TorchSaveWriter.Write(path, [TorchSaveWriter.Contiguous("w", "0", 2, 3)], new Dictionary<string, byte[]> { ["0"] = new byte[8] });

        var error = Assert.Throws<TorchCheckpointFormatException>(() => TorchZipCheckpoint.Inspect(path));
        Assert.Equal("w", error.Field);
    }

    [Theory]
    [InlineData(4, new long[] { 2, 3 }, new long[] { 3, 1 })]   // offset pushes the view past the 6 elements
    [InlineData(0, new long[] { 2, 4 }, new long[] { 3, 1 })]   // shape larger than the storage
    [InlineData(0, new long[] { 2, 3 }, new long[] { 1 })]      // stride rank differs from shape rank
    [InlineData(-1, new long[] { 2, 3 }, new long[] { 3, 1 })]  // negative offset
    [InlineData(0, new long[] { -2, 3 }, new long[] { 3, 1 })]  // negative dimension
    public void A_view_outside_its_storage_is_refused(long offset, long[] shape, long[] stride)
    {
        using var directory = new TempDirectory();
        var path = directory.File("hypermod.pt");
        TorchSaveWriter.Write(path, [new TorchSaveWriter.Entry("w", "0", 6, offset, shape, stride)]);

        var error = Assert.Throws<TorchCheckpointFormatException>(() => TorchZipCheckpoint.Inspect(path));
        Assert.Equal("w", error.Field);
    }

    [Fact]
    public void A_non_contiguous_view_is_refused_before_TorchSharp_reads_it()
    {
        // Found by fuzzing (eng/fuzz.sh hypermod-pt, seed 13): strides [1, 2] for [2, 3] fit the storage but are a
        // transposed view, which TorchSharp's load_py cannot read ("Bytes() called on non-contiguous tensor").
        using var directory = new TempDirectory();
        var path = directory.File("hypermod.pt");
        TorchSaveWriter.Write(path, [new TorchSaveWriter.Entry("w", "0", 6, 0, [2, 3], [1, 2])]);

        var error = Assert.Throws<TorchCheckpointFormatException>(() => TorchZipCheckpoint.Inspect(path));
        Assert.Equal("w", error.Field);
        Assert.Contains("contiguous", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_state_dict_key_given_twice_is_refused()
    {
        using var directory = new TempDirectory();
        var path = directory.File("hypermod.pt");
        TorchSaveWriter.Write(path, [TorchSaveWriter.Contiguous("w", "0", 3), TorchSaveWriter.Contiguous("w", "1", 3)]);

        var error = Assert.Throws<TorchCheckpointFormatException>(() => TorchZipCheckpoint.Inspect(path));
        Assert.Equal("w", error.Field);
    }

    [Fact]
    public void A_damaged_zip_entry_is_a_format_error_not_InvalidDataException()
    {
        // The first local file header (data.pkl) loses its signature: the central directory still opens, reading the entry fails.
        using var directory = new TempDirectory();
        var path = directory.File("hypermod.pt");
        TorchSaveWriter.Write(path, [TorchSaveWriter.Contiguous("w", "0", 3)]);
        var bytes = File.ReadAllBytes(path);
        Assert.Equal((byte)'P', bytes[0]);
        bytes[0] = (byte)'X';
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<TorchCheckpointFormatException>(() => TorchZipCheckpoint.Inspect(path));
        Assert.Equal(path, error.FilePath);
    }

    [Fact]
    public void Native_rank_of_one_hundred_million_is_refused_before_allocating()
    {
        using var directory = SavedNativeCheckpoint(out var json);
        json["rank"] = 100_000_000;
        json["adapter_config"]!["r"] = 100_000_000;
        WriteDescription(directory, json);

        var error = Assert.Throws<InputTooLargeException>(() => HypernetworkCheckpoint.Load(directory.Path));
        Assert.Equal("rank", error.Field);
        Assert.Equal(directory.File(NativeCheckpoint.ConfigFileName), error.FilePath);
    }

    [Theory]
    [InlineData("in_features", -64)]
    [InlineData("out_features", 0)]
    public void Native_non_positive_module_dimensions_are_refused(string field, int value)
    {
        using var directory = SavedNativeCheckpoint(out var json);
        json["target_modules"]![0]![field] = value;
        WriteDescription(directory, json);

        var error = Assert.Throws<HypernetworkCheckpointException>(() => HypernetworkCheckpoint.Load(directory.Path));
        Assert.Equal("target_modules[0]", error.Field);
    }

    [Fact]
    public void Native_adapter_rank_differing_from_the_hypernetwork_rank_is_refused()
    {
        // Fuzz reproducer (hypernetwork, seed 7, cases 238 and 254): an ArgumentException escaped from T2LHypernetwork's constructor.
        using var directory = SavedNativeCheckpoint(out var json);
        json["adapter_config"]!["r"] = 8;
        WriteDescription(directory, json);

        var error = Assert.Throws<HypernetworkCheckpointException>(() => HypernetworkCheckpoint.Load(directory.Path));
        Assert.Equal("adapter_config.r", error.Field);
    }

    [Theory]
    [InlineData("model.layers.self_attn.q_proj")]       // fuzz reproducer (hypernetwork, seed 11, case 712): no layer placeholder, every layer the same path
    [InlineData(null)]                                   // the other module's template: two modules on one path
    public void Native_path_templates_that_collide_are_refused(string? template)
    {
        using var directory = SavedNativeCheckpoint(out var json);
        json["target_modules"]![0]!["path_template"] = template ?? json["target_modules"]![1]!["path_template"]!.GetValue<string>();
        WriteDescription(directory, json);

        Assert.Throws<HypernetworkCheckpointException>(() => HypernetworkCheckpoint.Load(directory.Path));
    }

    [Fact]
    public void Native_null_target_module_entry_is_refused()
    {
        using var directory = SavedNativeCheckpoint(out var json);
        json["target_modules"]![0] = null;
        WriteDescription(directory, json);

        var error = Assert.Throws<HypernetworkCheckpointException>(() => HypernetworkCheckpoint.Load(directory.Path));
        Assert.Equal("target_modules[0]", error.Field);
    }

    [Fact]
    public void Native_null_target_module_list_is_refused()
    {
        using var directory = SavedNativeCheckpoint(out var json);
        json["target_modules"] = null;
        WriteDescription(directory, json);

        var error = Assert.Throws<HypernetworkCheckpointException>(() => HypernetworkCheckpoint.Load(directory.Path));
        Assert.Equal("target_modules", error.Field);
    }

    [Fact]
    public void Native_negative_latent_size_is_refused()
    {
        using var directory = SavedNativeCheckpoint(out var json);
        json["architecture"]!["latent_size"] = -128;
        WriteDescription(directory, json);

        var error = Assert.Throws<HypernetworkCheckpointException>(() => HypernetworkCheckpoint.Load(directory.Path));
        Assert.Equal("latent_size", error.Field);
    }

    [Fact]
    public void Native_duplicate_key_inside_the_embedded_adapter_config_is_refused()
    {
        // Fuzz reproducer (hypernetwork, seed 20261205, case 6): JsonObject's ArgumentException escaped.
        using var directory = SavedNativeCheckpoint(out var json);
        var text = json.ToJsonString().Replace("\"adapter_config\":{", "\"adapter_config\":{\"r\":4,", StringComparison.Ordinal);
        File.WriteAllText(directory.File(NativeCheckpoint.ConfigFileName), text);

        var error = Assert.Throws<HypernetworkCheckpointException>(() => HypernetworkCheckpoint.Load(directory.Path));
        Assert.Equal(directory.File(NativeCheckpoint.ConfigFileName), error.FilePath);
    }

    [Fact]
    public void Native_duplicate_json_keys_are_refused()
    {
        using var directory = SavedNativeCheckpoint(out var json);
        var text = json.ToJsonString();
        File.WriteAllText(directory.File(NativeCheckpoint.ConfigFileName), text.Insert(1, "\"rank\": 2, "));

        var error = Assert.Throws<HypernetworkCheckpointException>(() => HypernetworkCheckpoint.Load(directory.Path));
        Assert.Equal(directory.File(NativeCheckpoint.ConfigFileName), error.FilePath);
    }

    private static TempDirectory SavedNativeCheckpoint(out JsonObject description)
    {
        var directory = new TempDirectory();
        using (var hypernetwork = T2LFixtures.Load("M_sft"))
        {
            HypernetworkCheckpoint.Save(hypernetwork, directory.Path);
        }

        description = JsonNode.Parse(File.ReadAllText(directory.File(NativeCheckpoint.ConfigFileName)))!.AsObject();
        return directory;
    }

    private static void WriteDescription(TempDirectory directory, JsonObject description) =>
        File.WriteAllText(directory.File(NativeCheckpoint.ConfigFileName), description.ToJsonString());
}
