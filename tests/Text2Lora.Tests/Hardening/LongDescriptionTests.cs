using System.CommandLine;
using Microsoft.Extensions.Logging;
using Text2Lora.Cli.Commands;
using Text2Lora.Encoders;
using Text2Lora.IO.Peft;
using Text2Lora.LoraGeneration;
using Text2Lora.Models.Llama;
using Text2Lora.Runtime;
using Text2Lora.Tests.Fakes;
using Text2Lora.Tests.Generation;
using Text2Lora.Tests.Infrastructure;
using Text2Lora.Tokenization;
using static TorchSharp.torch;

namespace Text2Lora.Tests.Hardening;

/// <summary>
/// Descriptions far beyond an encoder's token limit (issue 14: 48,000 characters aborted the process) are cut to the
/// limit with a warning and never tokenized or embedded whole. For every encoder the embedding of a 100,000-character
/// description equals the embedding of a short text holding the same first sentences, which the encoder truncates the
/// ordinary way; so the cut keeps exactly the tokens a whole-text tokenization would keep.
/// </summary>
public sealed class LongDescriptionTests
{
    private const int HugeLength = 100_000;

    // A sentence of ordinary words, about 8 characters per token.
    private const string Sentence = "Answer questions about rivers, mountains and the weather of distant places. ";

    public LongDescriptionTests() => TorchRuntime.EnsureAvailable();

    /// <summary><see cref="Sentence"/> repeated to at least <paramref name="characters"/> characters, ending on a sentence.</summary>
    private static string Repeated(int characters) =>
        string.Concat(Enumerable.Repeat(Sentence, (characters / Sentence.Length) + 1)).TrimEnd();

    private static void AssertSameRows(Tensor expected, Tensor actual)
    {
        Assert.Equal(expected.shape, actual.shape);
        Assert.True(expected.eq(actual).all().item<bool>(), "the huge description's embedding differs from its short equivalent's");
    }

    [Fact]
    public void MiniLm_truncates_a_100000_character_description_to_what_a_short_text_gives()
    {
        var logger = new ListLogger<MiniLmTaskEncoder>();
        using var encoder = new MiniLmTaskEncoder(logger);
        var huge = Repeated(HugeLength)[..(HugeLength + 1)];
        using var actual = encoder.Encode([huge]);

        using var expected = SharedMiniLm.Instance.Encode([Repeated(3_000)]); // > 256 tokens: cut the ordinary way
        AssertSameRows(expected, actual);
        var warning = Assert.Single(logger.Entries, e => e.Level == LogLevel.Warning);
        Assert.Contains("reads at most 256", warning.Message, StringComparison.Ordinal);
        Assert.Contains("100001 characters", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Gte_truncates_a_100000_character_description_to_what_a_short_text_gives()
    {
        var logger = new ListLogger<GteTaskEncoder>();
        using var encoder = GteTaskEncoder.Load(FixturePaths.Get("gte", "model"), logger: logger);
        var shortText = Repeated(encoder.MaxTokens * 12);
        Assert.True(encoder.Tokenize(shortText).Count == encoder.MaxTokens, "the short text must itself be over the limit");

        using var actual = encoder.Encode([Repeated(HugeLength)]);
        using var expected = encoder.Encode([shortText]);

        AssertSameRows(expected, actual);
        Assert.Equal(encoder.Tokenize(shortText), encoder.Tokenize(Repeated(HugeLength)));
        Assert.Equal(2, logger.Entries.Count(e => e.Level == LogLevel.Warning && e.Message.Contains("truncated", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData(DescriptionFormat.AddFullStop)]
    [InlineData(DescriptionFormat.SfrInstruction)]
    public void Base_model_encoder_truncates_a_100000_character_description(DescriptionFormat format)
    {
        using var model = LlamaFamilyModel.Load(Stories260k.ModelDirectory);
        var tokenizer = TokenizerLoader.Load(Stories260k.ModelDirectory);
        var logger = new ListLogger<BaseModelTaskEncoder>();
        var encoder = new FormattedTaskEncoder(format, new BaseModelTaskEncoder(model, tokenizer, logger: logger));
        var shortText = Repeated(3 * 512 * 8 / 2); // stories260k reads 512 tokens; its 512-piece vocabulary needs ~2.5 characters a token

        using var actual = encoder.Encode([Repeated(HugeLength)]);
        using var expected = encoder.Encode([shortText]);

        TensorAssert.Close(expected, actual, 1e-6); // same ids; the base model's float sums are repeatable, allow rounding
        Assert.Equal(2, logger.Entries.Count(e => e.Level == LogLevel.Warning && e.Message.Contains("reads at most 512", StringComparison.Ordinal)));
    }

    [Fact]
    public void FromDescription_with_100000_characters_gives_an_adapter()
    {
        using var hypernetwork = new LinearFakeHypernetwork(384);
        var generator = new LoraGenerator(SharedMiniLm.Instance, hypernetwork);

        using var huge = generator.FromDescription(Repeated(HugeLength));
        using var shortOne = generator.FromDescription(Repeated(3_000));

        LoraGeneratorTests.AssertSameAdapter(shortOne, huge);
    }

    [Fact]
    public void Generate_command_with_a_100000_character_description_writes_the_adapter()
    {
        using var work = new TempDirectory();
        var loader = new RecordingHypernetworkLoader();
        Directory.CreateDirectory(work.File("checkpoint"));
        var root = new RootCommand { GenerateCommand.Create(loader) };
        var description = Repeated(HugeLength);

        var code = root.Parse(["generate", "--hypernetwork", work.File("checkpoint"), "--description", description, "--output", work.File("out")]).Invoke();

        Assert.Equal(CliErrors.Success, code);
        Assert.Equal(description, File.ReadAllText(Path.Combine(work.File("out"), PeftAdapterFolder.TaskDescriptionFileName)));
        using var written = PeftAdapterFolder.Load(work.File("out"));
        Assert.NotEmpty(written.Modules);
    }

    [Fact]
    public void A_100000_character_word_without_spaces_is_embedded_as_its_one_unknown_token()
    {
        // BERT's WordPiece maps a word over 100 characters to [UNK]: the whole description is [CLS] [UNK] [SEP].
        using var encoder = new MiniLmTaskEncoder();
        using var huge = encoder.Encode([new string('a', HugeLength)]);
        using var unknown = encoder.Encode([new string('a', 101)]);
        AssertSameRows(unknown, huge);
    }
}
