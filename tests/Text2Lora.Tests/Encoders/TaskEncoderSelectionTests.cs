using Text2Lora.Encoders;
using static TorchSharp.torch;
using Text2Lora.Tests.Infrastructure;

namespace Text2Lora.Tests.Encoders;

/// <summary>The rule that picks a checkpoint's description encoder (reference <c>get_emb_model_and_fns</c> / <c>load_hypermod_checkpoint</c>).</summary>
[Trait(TestCategory.Key, TestCategory.Behaviour)]
public sealed class TaskEncoderSelectionTests
{
    [Theory]
    [InlineData("", TaskEncoderFamily.BaseModel, DescriptionFormat.AddFullStop, ScalarType.BFloat16)]
    [InlineData("Alibaba-NLP/gte-large-en-v1.5", TaskEncoderFamily.Gte, DescriptionFormat.AddFullStop, ScalarType.Float32)]
    [InlineData("gte/model", TaskEncoderFamily.Gte, DescriptionFormat.AddFullStop, ScalarType.Float32)]
    [InlineData("Salesforce/SFR-Embedding-Mistral", TaskEncoderFamily.Sfr, DescriptionFormat.SfrInstruction, ScalarType.BFloat16)]
    // The reference checks "SFR" before "gte", and picks the dtype from "gte" alone.
    [InlineData("/models/SFR-gte-mix", TaskEncoderFamily.Sfr, DescriptionFormat.SfrInstruction, ScalarType.Float32)]
    [InlineData("sentence-transformers/all-MiniLM-L6-v2", TaskEncoderFamily.MiniLm, DescriptionFormat.CollapseWhitespace, ScalarType.Float32)]
    public void Names_pick_the_reference_branch(string name, TaskEncoderFamily family, DescriptionFormat format, ScalarType dtype)
    {
        var choice = TaskEncoderSelection.Choose(name);

        Assert.Equal(new TaskEncoderChoice(name, family, format, dtype), choice);
    }

    [Fact]
    public void The_short_name_gte_means_gte_large() =>
        Assert.Equal(TaskEncoderSelection.GteLargeId, TaskEncoderSelection.Choose("gte").Id);

    [Theory]
    [InlineData("BAAI/bge-large-en-v1.5")]
    [InlineData("GTE-large")] // case-sensitive, as the reference's `"gte" in name`
    [InlineData("sfr-embedding")]
    public void Unknown_names_get_a_typed_error_naming_the_value_and_the_supported_ones(string name)
    {
        var error = Assert.Throws<UnsupportedTaskEncoderException>(() => TaskEncoderSelection.Choose(name, source: "args.yaml emb_model"));

        Assert.Equal(name, error.Value);
        Assert.Contains($"'{name}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("args.yaml emb_model", error.Message, StringComparison.Ordinal);
        Assert.Contains("gte", error.Message, StringComparison.Ordinal);
        Assert.Contains("SFR", error.Message, StringComparison.Ordinal);
        Assert.Contains("base model", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_recorded_format_wins_over_the_derived_one() =>
        Assert.Equal(DescriptionFormat.CollapseWhitespace, TaskEncoderSelection.Choose("", DescriptionFormat.CollapseWhitespace).Format);

    [Fact]
    public void An_override_keeps_the_checkpoints_format_and_takes_the_family_from_its_name_when_it_has_one()
    {
        var checkpoint = TaskEncoderSelection.Choose("Alibaba-NLP/gte-large-en-v1.5");

        var named = TaskEncoderSelection.Override(checkpoint, "/data/SFR-Embedding-Mistral");
        var anonymous = TaskEncoderSelection.Override(checkpoint, "/data/encoder-copy");

        Assert.Equal((TaskEncoderFamily.Sfr, DescriptionFormat.AddFullStop), (named.Family, named.Format));
        Assert.Equal((TaskEncoderFamily.Gte, DescriptionFormat.AddFullStop, "/data/encoder-copy"), (anonymous.Family, anonymous.Format, anonymous.Id));
    }

    [Fact]
    public void Ids_that_are_not_folders_fail_with_a_typed_error_naming_the_id()
    {
        var loader = new TaskEncoderLoader();

        var error = Assert.Throws<ModelFolderNotFoundException>(() => loader.Load(TaskEncoderSelection.Choose("Alibaba-NLP/gte-large-en-v1.5"), new TaskEncoderLoadContext()));

        Assert.Equal("Alibaba-NLP/gte-large-en-v1.5", error.Id);
        Assert.Contains("Alibaba-NLP/gte-large-en-v1.5", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_resolver_turns_ids_into_folders()
    {
        var resolver = new MapResolver(Infrastructure.FixturePaths.Get("gte", "model"));
        Text2Lora.Runtime.TorchRuntime.EnsureAvailable();

        using var encoder = new TaskEncoderLoader(resolver).Load(TaskEncoderSelection.Choose("Alibaba-NLP/gte-large-en-v1.5"), new TaskEncoderLoadContext());

        Assert.Equal(["Alibaba-NLP/gte-large-en-v1.5"], resolver.Asked);
        Assert.Equal(64, encoder.EmbeddingSize);
        Assert.Equal("Alibaba-NLP/gte-large-en-v1.5", encoder.Id);
    }

    private sealed class MapResolver(string folder) : IModelFolderResolver
    {
        public List<string> Asked { get; } = [];

        public string Resolve(string id, CancellationToken cancellationToken = default)
        {
            Asked.Add(id);
            return folder;
        }
    }
}
