using System.Text.Json;
using Text2Lora.Encoders;
using Text2Lora.Tests.Infrastructure;
using Text2Lora.Tokenization;

namespace Text2Lora.Tests.Models.Gte;

/// <summary>WordPiece ids against transformers' BertTokenizer (Fixtures/gte/tokenization.json, t2l_descriptions.json): exact.</summary>
[Trait(TestCategory.Key, TestCategory.Behaviour)]
public sealed class GteTokenizationTests
{
    public static TheoryData<int> Cases => [.. Enumerable.Range(0, ReadCases("tokenization.json").Count)];

    public static TheoryData<int> Descriptions => [.. Enumerable.Range(0, ReadCases("t2l_descriptions.json").Count)];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Ids_match_transformers_BertTokenizer(int index)
    {
        var entry = ReadCases("tokenization.json")[index];
        var text = entry.GetProperty("text").GetString()!;
        var expected = entry.GetProperty("ids").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        var maxLength = entry.TryGetProperty("max_length", out var m) ? m.GetInt32() : 8192;

        var tokenizer = WordPieceTextTokenizer.Load(FixturePaths.Get("gte", "model"), 32);
        Assert.Equal(8192, tokenizer.MaxLength); // tokenizer_config.json model_max_length wins over max_position_embeddings
        var ids = tokenizer.Encode(text).ToArray();
        if (ids.Length > maxLength)
        {
            // The fixture's truncation cases use a smaller max_length than the config: cut as transformers does, keeping [SEP].
            ids = [.. ids.Take(maxLength - 1), tokenizer.SepTokenId];
        }

        Assert.Equal(expected, ids);
    }

    [Theory]
    [MemberData(nameof(Descriptions))]
    public void Reference_description_ids_after_add_full_stop_are_exact(int index)
    {
        var entry = ReadCases("t2l_descriptions.json")[index];
        var text = entry.GetProperty("after_add_full_stop").GetString()!;
        var expected = entry.GetProperty("ids").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        using var encoder = GteTaskEncoder.Load(FixturePaths.Get("gte", "model"));
        Assert.Equal(expected, encoder.Tokenize(text));
    }

    [Fact]
    public void Truncation_keeps_sep_and_cuts_inside_a_word()
    {
        using var directory = new TempDirectory();
        foreach (var file in Directory.GetFiles(FixturePaths.Get("gte", "model")))
        {
            File.Copy(file, Path.Combine(directory.Path, Path.GetFileName(file)));
        }

        var config = File.ReadAllText(directory.File("tokenizer_config.json")).Replace("\"model_max_length\": 8192", "\"model_max_length\": 5", StringComparison.Ordinal);
        File.WriteAllText(directory.File("tokenizer_config.json"), config);
        var tokenizer = WordPieceTextTokenizer.Load(directory.Path, 32);

        // tokenization.json: "unaffable reviewing" with max_length 5 → [CLS] un ##aff ##able [SEP].
        Assert.Equal([101, 322, 350, 349, 102], tokenizer.Encode("unaffable reviewing"));
        Assert.Equal(7, tokenizer.CountTokens("unaffable reviewing")); // un ##aff ##able review ##ing + [CLS] [SEP]
    }

    [Fact]
    public void Without_model_max_length_the_model_maximum_applies()
    {
        using var directory = new TempDirectory();
        File.Copy(FixturePaths.Get("gte", "model", "vocab.txt"), directory.File("vocab.txt"));
        var tokenizer = WordPieceTextTokenizer.Load(directory.Path, 6);
        Assert.Equal(6, tokenizer.MaxLength);
        Assert.Equal([101, 245, 208, 248, 242, 102], tokenizer.Encode("Solve the math problem step by step"));
    }

    [Fact]
    public void A_non_wordpiece_tokenizer_json_is_refused_naming_the_key()
    {
        using var directory = new TempDirectory();
        File.WriteAllText(directory.File("tokenizer.json"), """{"model": {"type": "BPE", "vocab": {}}}""");
        var error = Assert.Throws<TokenizerFormatException>(() => WordPieceTextTokenizer.Load(directory.Path, 32));
        Assert.Contains("model.type", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_vocabulary_of_a_tokenizer_json_gives_the_same_ids_as_vocab_txt()
    {
        using var directory = new TempDirectory();
        var vocab = File.ReadAllLines(FixturePaths.Get("gte", "model", "vocab.txt"));
        var json = JsonSerializer.Serialize(new
        {
            model = new { type = "WordPiece", vocab = vocab.Select((token, id) => (token, id)).ToDictionary(p => p.token, p => p.id) },
            normalizer = new { type = "BertNormalizer", lowercase = true, strip_accents = (bool?)null, handle_chinese_chars = true },
        });
        File.WriteAllText(directory.File("tokenizer.json"), json);
        var fromJson = WordPieceTextTokenizer.Load(directory.Path, 8192);
        var fromVocab = WordPieceTextTokenizer.Load(FixturePaths.Get("gte", "model"), 8192);
        foreach (var entry in ReadCases("tokenization.json"))
        {
            var text = entry.GetProperty("text").GetString()!;
            Assert.Equal(fromVocab.Encode(text), fromJson.Encode(text));
        }
    }

    private static List<JsonElement> ReadCases(string file)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(FixturePaths.Get("gte", file)));
        return [.. document.RootElement.EnumerateArray().Select(e => e.Clone())];
    }
}
