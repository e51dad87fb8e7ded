using Text2Lora.Tests.Infrastructure;
using Text2Lora.Tokenization;
using Xunit;
using static Text2Lora.Tests.Tokenization.MiniByteLevelTokenizers;

namespace Text2Lora.Tests.Tokenization;

/// <summary>
/// Byte-level BPE from hand-written Llama-3 / Qwen2 style tokenizer.json files. The expected ids are
/// worked out by hand: pre-tokenize with the model's regex, map bytes to the byte-level alphabet, then
/// apply the merges lowest rank first (ids are listed in <see cref="MiniByteLevelTokenizers"/>).
/// </summary>
[Trait(TestCategory.Key, TestCategory.Behaviour)]
public sealed class ByteLevelBpeTokenizerTests : IDisposable
{
    private readonly TempDirectory _llama3 = new();
    private readonly TempDirectory _qwen2 = new();

    public ByteLevelBpeTokenizerTests()
    {
        WriteLlama3(_llama3.Path);
        WriteQwen2(_qwen2.Path);
    }

    public void Dispose()
    {
        _llama3.Dispose();
        _qwen2.Dispose();
    }

    [Fact]
    public void Llama3_merges_words_and_prepends_begin_of_text_from_the_template()
    {
        // "Hello" | " world" | "!": H e l l o → (l l) → (H e) → (ll o) → (He llo) = Hello;
        // Ġ w o r l d → (Ġ w) → (o r) → (Ġw or) → (l d) → (Ġwor ld) = Ġworld.
        Assert.Equal([100, Id("Hello"), Id("Ġworld"), Id("!")], TokenizerLoader.Load(_llama3.Path).Encode("Hello world!"));
    }

    [Fact]
    public void Llama3_regex_splits_contractions_digit_triples_and_newlines()
    {
        // Pre-tokens: "Hello" "'s" " " "123" "4" "\n\n" "world" (digits in groups of up to three;
        // a space before a digit stands alone). "world" has no leading Ġ, so only (o r) and (l d) apply.
        int[] expected =
        [
            100, Id("Hello"), Id("'s"), Id("Ġ"), Id("123"), Id("4"), Id("Ċ"), Id("Ċ"), Id("w"), Id("or"), Id("ld"),
        ];
        Assert.Equal(expected, TokenizerLoader.Load(_llama3.Path).Encode("Hello's 1234\n\nworld"));
    }

    [Fact]
    public void Qwen2_regex_splits_digits_one_by_one_and_adds_no_bos()
    {
        ITextTokenizer qwen = TokenizerLoader.Load(_qwen2.Path);
        Assert.Equal([Id("1"), Id("2"), Id("3"), Id("4")], qwen.Encode("1234"));
        Assert.Equal([Id("Hello"), Id("Ġworld"), Id("!")], qwen.Encode("Hello world!"));
    }

    [Fact]
    public void Ignore_merges_takes_a_whole_word_found_in_the_vocabulary()
    {
        // "café" = c a f Ã © in byte-level form. Llama-3 (ignore_merges) finds "cafÃ©" whole;
        // Qwen2 runs the merges, and only (Ã ©) exists.
        Assert.Equal([100, Id("cafÃ©")], TokenizerLoader.Load(_llama3.Path).Encode("café"));
        Assert.Equal([Id("c"), Id("a"), Id("f"), Id("Ã©")], TokenizerLoader.Load(_qwen2.Path).Encode("café"));
    }

    [Fact]
    public void Qwen2_normalizes_to_nfc_first()
    {
        // e + U+0301 (combining acute) composes to é under NFC.
        Assert.Equal([Id("c"), Id("a"), Id("f"), Id("Ã©")], TokenizerLoader.Load(_qwen2.Path).Encode("cafe\u0301"));
    }

    [Fact]
    public void Special_tokens_in_the_text_are_matched_before_pre_tokenization()
    {
        ITextTokenizer llama = TokenizerLoader.Load(_llama3.Path);
        int[] expected = [100, 102, Id("u"), Id("s"), Id("e"), Id("r"), 103, Id("Ċ"), Id("Ċ"), Id("Hello"), 104];
        Assert.Equal(expected, llama.Encode("<|start_header_id|>user<|end_header_id|>\n\nHello<|eot_id|>"));

        ITextTokenizer qwen = TokenizerLoader.Load(_qwen2.Path);
        Assert.Equal([101, Id("u"), Id("s"), Id("e"), Id("r"), Id("Ċ"), Id("Hello"), 102], qwen.Encode("<|im_start|>user\nHello<|im_end|>"));
    }

    [Fact]
    public void Decode_maps_bytes_back_and_drops_or_keeps_special_tokens()
    {
        ITextTokenizer llama = TokenizerLoader.Load(_llama3.Path);
        int[] ids = [100, Id("Hello"), Id("Ġworld"), Id("!"), 104];
        Assert.Equal("Hello world!", llama.Decode(ids));
        Assert.Equal("<|begin_of_text|>Hello world!<|eot_id|>", llama.Decode(ids, skipSpecialTokens: false));
        Assert.Equal("café", llama.Decode([Id("cafÃ©")]));
        Assert.Equal("café", llama.Decode([Id("c"), Id("a"), Id("f"), Id("Ã"), Id("©")]));
    }

    [Fact]
    public void Clean_up_tokenization_spaces_follows_the_config()
    {
        int[] ids = [Id("Hello"), Id("Ġ"), Id("!")];
        Assert.Equal("Hello!", TokenizerLoader.Load(_llama3.Path).Decode(ids));
        Assert.Equal("Hello !", TokenizerLoader.Load(_qwen2.Path).Decode(ids));
    }

    [Fact]
    public void Special_ids_come_from_tokenizer_config_and_generation_config()
    {
        ITextTokenizer llama = TokenizerLoader.Load(_llama3.Path);
        Assert.Equal(105, llama.VocabularySize);
        Assert.Equal(100, llama.BosTokenId);
        Assert.Equal([104, 101], llama.EosTokenIds);
        Assert.Null(llama.PadTokenId);

        ITextTokenizer qwen = TokenizerLoader.Load(_qwen2.Path);
        Assert.Equal(103, qwen.VocabularySize);
        Assert.Null(qwen.BosTokenId);
        Assert.Equal([102, 100], qwen.EosTokenIds);
        Assert.Equal(100, qwen.PadTokenId);
    }

    [Fact]
    public void Round_trip_restores_text_made_of_known_bytes()
    {
        ITextTokenizer qwen = TokenizerLoader.Load(_qwen2.Path);
        const string text = "<|im_start|>Hello world's 1234\n\ncafé!<|im_end|>";
        Assert.Equal(text, qwen.Decode(qwen.Encode(text), skipSpecialTokens: false));
    }
}
