using System.Text.Json;
using System.Text.Json.Nodes;
using Text2Lora.Tests.Infrastructure;
using Text2Lora.Tokenization;
using Xunit;

namespace Text2Lora.Tests.Tokenization;

/// <summary>
/// stories260k's SentencePiece tokenizer against the vectors HF transformers 4.46 (slow LlamaTokenizer)
/// and sentencepiece 0.2 produced (<c>Fixtures/stories260k/tokenization.json</c>).
/// </summary>
[Trait(TestCategory.Key, TestCategory.Behaviour)]
public sealed class SentencePieceTokenizerTests
{
    private static readonly string ModelDirectory = FixturePaths.Get("stories260k", "model");
    private static readonly Lazy<ITextTokenizer> Tokenizer = new(() => TokenizerLoader.Load(ModelDirectory));
    private static readonly Lazy<JsonArray> Cases = new(() =>
        JsonNode.Parse(File.ReadAllText(FixturePaths.Get("stories260k", "tokenization.json")))!["cases"]!.AsArray());

    public static TheoryData<int> CaseIndices()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < 36; i++)
        {
            data.Add(i);
        }

        return data;
    }

    private static JsonNode Case(int index) => Cases.Value[index]!;

    private static int[] Ids(JsonNode node, string key) => node[key]!.AsArray().Select(n => n!.GetValue<int>()).ToArray();

    [Fact]
    public void Fixture_has_the_36_cases_the_theories_cover() => Assert.Equal(36, Cases.Value.Count);

    [Theory]
    [MemberData(nameof(CaseIndices))]
    public void Encode_matches_hf_ids(int index)
    {
        JsonNode c = Case(index);
        Assert.Equal(Ids(c, "hf_ids"), Tokenizer.Value.Encode((string)c["text"]!));
    }

    [Theory]
    [MemberData(nameof(CaseIndices))]
    public void Encode_without_special_tokens_is_hf_ids_without_the_bos(int index)
    {
        JsonNode c = Case(index);
        int[] hfIds = Ids(c, "hf_ids");
        Assert.Equal(1, hfIds[0]);
        Assert.Equal(hfIds[1..], Tokenizer.Value.Encode((string)c["text"]!, addSpecialTokens: false));
    }

    [Theory]
    [MemberData(nameof(CaseIndices))]
    public void Decode_skipping_special_tokens_matches_hf(int index)
    {
        JsonNode c = Case(index);
        Assert.Equal((string)c["hf_decode"]!, Tokenizer.Value.Decode(Ids(c, "hf_ids"), skipSpecialTokens: true));
    }

    [Theory]
    [MemberData(nameof(CaseIndices))]
    public void Decode_keeping_special_tokens_matches_hf(int index)
    {
        JsonNode c = Case(index);
        Assert.Equal((string)c["hf_decode_keep_special"]!, Tokenizer.Value.Decode(Ids(c, "hf_ids"), skipSpecialTokens: false));
    }

    [Theory]
    [MemberData(nameof(CaseIndices))]
    public void Decode_of_sentencepiece_ids_matches_sentencepiece(int index)
    {
        JsonNode c = Case(index);
        Assert.Equal((string)c["sp_decode"]!, Tokenizer.Value.Decode(Ids(c, "sp_ids")));
    }

    [Theory]
    [MemberData(nameof(CaseIndices))]
    public void Non_legacy_mode_matches_hf_legacy_false_ids(int index)
    {
        using var folder = new TempDirectory();
        foreach (string file in Directory.GetFiles(ModelDirectory, "tokenizer*"))
        {
            File.Copy(file, folder.File(Path.GetFileName(file)));
        }

        JsonObject config = JsonNode.Parse(File.ReadAllText(folder.File("tokenizer_config.json")))!.AsObject();
        config["legacy"] = false;
        File.WriteAllText(folder.File("tokenizer_config.json"), config.ToJsonString());

        JsonNode c = Case(index);
        Assert.Equal(Ids(c, "hf_ids_legacy_false"), TokenizerLoader.Load(folder.Path).Encode((string)c["text"]!));
    }

    [Fact]
    public void Special_token_ids_come_from_the_tokenizer_and_generation_configs()
    {
        ITextTokenizer tokenizer = Tokenizer.Value;
        Assert.Equal(512, tokenizer.VocabularySize);
        Assert.Equal(1, tokenizer.BosTokenId);
        Assert.Equal([2], tokenizer.EosTokenIds);

        // pad_token is null in tokenizer_config.json; generation_config.json says 0.
        Assert.Equal(0, tokenizer.PadTokenId);
    }

    [Fact]
    public void Literal_special_tokens_in_the_text_become_their_ids()
    {
        // README of the fixture: "Hello <s> world </s> and <unk>" → 1 | 346 306 414 | 1 | 263 304 341 | 2 | 269 | 0
        Assert.Equal(
            [1, 346, 306, 414, 1, 263, 304, 341, 2, 269, 0],
            Tokenizer.Value.Encode("Hello <s> world </s> and <unk>"));
    }

    [Fact]
    public void Add_eos_token_in_the_config_appends_eos()
    {
        using var folder = new TempDirectory();
        foreach (string file in Directory.GetFiles(ModelDirectory, "tokenizer*"))
        {
            File.Copy(file, folder.File(Path.GetFileName(file)));
        }

        JsonObject config = JsonNode.Parse(File.ReadAllText(folder.File("tokenizer_config.json")))!.AsObject();
        config["add_bos_token"] = false;
        config["add_eos_token"] = true;
        File.WriteAllText(folder.File("tokenizer_config.json"), config.ToJsonString());

        Assert.Equal([346, 306, 414, 2], TokenizerLoader.Load(folder.Path).Encode("Hello"));
    }
}
