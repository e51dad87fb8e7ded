using System.Text.Json.Nodes;

namespace Text2Lora.Tests.Tokenization;

/// <summary>
/// Small hand-written HF tokenizer folders in the Llama-3 and Qwen2 formats: a byte-level vocabulary
/// (space is "Ġ", newline "Ċ", the UTF-8 bytes of é are "Ã" and "©"), ranked merges, the models'
/// pre-tokenizer regexes and special tokens. Expected encodings in the tests are derived by hand
/// from these merges.
/// </summary>
internal static class MiniByteLevelTokenizers
{
    /// <summary>Llama-3's Split regex, as in its tokenizer.json.</summary>
    public const string Llama3Pattern = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    /// <summary>Qwen2's Split regex: like Llama-3's but digits one at a time.</summary>
    public const string Qwen2Pattern = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    // Ids 0..20 single bytes, 21.. results of merges, then whole words only reachable with ignore_merges.
    private static readonly string[] Vocabulary =
    [
        "H", "e", "l", "o", "Ġ", "w", "r", "d", "!", "Ċ", "'", "s", "1", "2", "3", "4", "Ã", "©", "c", "a", "f",
        "ll", "He", "llo", "Hello", "Ġw", "or", "Ġwor", "ld", "Ġworld", "'s", "12", "123", "Ã©",
        "cafÃ©", "u", "i", "t", "n",
    ];

    /// <summary>In rank order (first = applied first).</summary>
    private static readonly string[] Merges =
    [
        "l l", "H e", "ll o", "He llo", "Ġ w", "o r", "Ġw or", "l d", "Ġwor ld", "' s", "1 2", "12 3", "Ã ©",
    ];

    public static int Id(string token) => Array.IndexOf(Vocabulary, token) is var i and >= 0 ? i : throw new ArgumentException(token);

    /// <summary>Llama-3 style: BOS through TemplateProcessing, ignore_merges, no normalizer, clean-up on decode.</summary>
    public static void WriteLlama3(string folder)
    {
        var tokenizer = new JsonObject
        {
            ["version"] = "1.0",
            ["added_tokens"] = AddedTokens(("<|begin_of_text|>", 100), ("<|end_of_text|>", 101), ("<|start_header_id|>", 102), ("<|end_header_id|>", 103), ("<|eot_id|>", 104)),
            ["normalizer"] = null,
            ["pre_tokenizer"] = new JsonObject
            {
                ["type"] = "Sequence",
                ["pretokenizers"] = new JsonArray(
                    new JsonObject { ["type"] = "Split", ["pattern"] = new JsonObject { ["Regex"] = Llama3Pattern }, ["behavior"] = "Isolated", ["invert"] = false },
                    new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = true, ["use_regex"] = false }),
            },
            ["post_processor"] = new JsonObject
            {
                ["type"] = "Sequence",
                ["processors"] = new JsonArray(
                    new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = true, ["trim_offsets"] = false, ["use_regex"] = true },
                    new JsonObject
                    {
                        ["type"] = "TemplateProcessing",
                        ["single"] = new JsonArray(
                            new JsonObject { ["SpecialToken"] = new JsonObject { ["id"] = "<|begin_of_text|>", ["type_id"] = 0 } },
                            new JsonObject { ["Sequence"] = new JsonObject { ["id"] = "A", ["type_id"] = 0 } }),
                        ["special_tokens"] = new JsonObject
                        {
                            ["<|begin_of_text|>"] = new JsonObject { ["id"] = "<|begin_of_text|>", ["ids"] = new JsonArray(100), ["tokens"] = new JsonArray("<|begin_of_text|>") },
                        },
                    }),
            },
            ["decoder"] = new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = true, ["trim_offsets"] = true, ["use_regex"] = true },
            ["model"] = Model(ignoreMerges: true, mergesAsPairs: false),
        };
        var config = new JsonObject
        {
            ["bos_token"] = "<|begin_of_text|>",
            ["eos_token"] = "<|eot_id|>",
            ["clean_up_tokenization_spaces"] = true,
            ["tokenizer_class"] = "PreTrainedTokenizerFast",
        };
        var generation = new JsonObject { ["bos_token_id"] = 100, ["eos_token_id"] = new JsonArray(101, 104) };
        Write(folder, tokenizer, config, generation);
    }

    /// <summary>Qwen2 style: NFC normalizer, no BOS, merges as pairs, pad = &lt;|endoftext|&gt;.</summary>
    public static void WriteQwen2(string folder)
    {
        var tokenizer = new JsonObject
        {
            ["version"] = "1.0",
            ["added_tokens"] = AddedTokens(("<|endoftext|>", 100), ("<|im_start|>", 101), ("<|im_end|>", 102)),
            ["normalizer"] = new JsonObject { ["type"] = "NFC" },
            ["pre_tokenizer"] = new JsonObject
            {
                ["type"] = "Sequence",
                ["pretokenizers"] = new JsonArray(
                    new JsonObject { ["type"] = "Split", ["pattern"] = new JsonObject { ["Regex"] = Qwen2Pattern }, ["behavior"] = "Isolated", ["invert"] = false },
                    new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = false, ["use_regex"] = false }),
            },
            ["post_processor"] = new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = false, ["use_regex"] = false },
            ["decoder"] = new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = false, ["use_regex"] = false },
            ["model"] = Model(ignoreMerges: false, mergesAsPairs: true),
        };
        var config = new JsonObject
        {
            ["add_prefix_space"] = false,
            ["bos_token"] = null,
            ["eos_token"] = "<|im_end|>",
            ["pad_token"] = "<|endoftext|>",
            ["clean_up_tokenization_spaces"] = false,
            ["tokenizer_class"] = "Qwen2Tokenizer",
        };
        var generation = new JsonObject { ["eos_token_id"] = new JsonArray(102, 100), ["pad_token_id"] = 100 };
        Write(folder, tokenizer, config, generation);
    }

    private static JsonObject Model(bool ignoreMerges, bool mergesAsPairs)
    {
        var vocab = new JsonObject();
        for (int i = 0; i < Vocabulary.Length; i++)
        {
            vocab[Vocabulary[i]] = i;
        }

        var merges = new JsonArray();
        foreach (string merge in Merges)
        {
            merges.Add(mergesAsPairs ? new JsonArray(merge.Split(' ')[0], merge.Split(' ')[1]) : JsonValue.Create(merge));
        }

        return new JsonObject
        {
            ["type"] = "BPE",
            ["dropout"] = null,
            ["unk_token"] = null,
            ["continuing_subword_prefix"] = null,
            ["end_of_word_suffix"] = null,
            ["fuse_unk"] = false,
            ["byte_fallback"] = false,
            ["ignore_merges"] = ignoreMerges,
            ["vocab"] = vocab,
            ["merges"] = merges,
        };
    }

    private static JsonArray AddedTokens(params (string Content, int Id)[] tokens)
    {
        var list = new JsonArray();
        foreach ((string content, int id) in tokens)
        {
            list.Add(new JsonObject
            {
                ["id"] = id,
                ["content"] = content,
                ["single_word"] = false,
                ["lstrip"] = false,
                ["rstrip"] = false,
                ["normalized"] = false,
                ["special"] = true,
            });
        }

        return list;
    }

    private static void Write(string folder, JsonObject tokenizer, JsonObject config, JsonObject generation)
    {
        File.WriteAllText(Path.Combine(folder, "tokenizer.json"), tokenizer.ToJsonString());
        File.WriteAllText(Path.Combine(folder, "tokenizer_config.json"), config.ToJsonString());
        File.WriteAllText(Path.Combine(folder, "generation_config.json"), generation.ToJsonString());
    }
}
