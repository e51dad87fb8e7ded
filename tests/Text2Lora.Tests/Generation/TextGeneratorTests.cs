using Text2Lora.TextGeneration;
using Text2Lora.IO.Safetensors;
using Text2Lora.Models.Llama;
using Text2Lora.Tests.Infrastructure;
using Text2Lora.Tokenization;
using Text2Lora.Tokenization.ChatTemplates;

namespace Text2Lora.Tests.Generation;

/// <summary>Text generation with decode-aware stop strings and streaming, on stories260k's real weights.</summary>
[Trait(TestCategory.Key, TestCategory.Behaviour)]
public sealed class TextGeneratorTests : IDisposable
{
    private readonly LlamaFamilyModel _model = LlamaFamilyModel.Load(Stories260k.ModelDirectory);
    private readonly ITextTokenizer _tokenizer = TokenizerLoader.Load(Stories260k.ModelDirectory);

    public void Dispose() => _model.Dispose();

    private TextGenerator Generator => new(_model, _tokenizer);

    private static GenerationOptions Greedy32 => new() { MaxNewTokens = Stories260k.GeneratedTokens };

    [Fact]
    public void Plain_prompt_encodes_to_the_fixture_ids()
    {
        using var expected = SafetensorsFile.Open(Stories260k.ExpectedPath);
        using var ids = expected.ReadTensor("gen.single0.input_ids");
        Assert.Equal(ids.data<long>().Select(i => (int)i), ChatPrompt.Encode(_tokenizer, null, Stories260k.DogPrompt));
    }

    [Theory]
    [InlineData(Stories260k.DogPrompt, Stories260k.DogContinuation)]
    [InlineData(Stories260k.LilyPrompt, Stories260k.LilyContinuation)]
    public void Greedy_text_is_the_fixture_continuation(string prompt, string continuation)
    {
        var completion = Generator.Generate(_tokenizer.Encode(prompt), Greedy32);

        Assert.Equal(continuation, completion.Text);
        Assert.Equal(Stories260k.GeneratedTokens, completion.TokenIds.Count);
        Assert.Equal(FinishReason.Length, completion.FinishReason);
    }

    [Fact]
    public void Stops_at_the_first_stop_string_and_cuts_it_off()
    {
        // "with her toys. She had a big box…": "." comes before "box".
        var completion = Generator.Generate(_tokenizer.Encode(Stories260k.LilyPrompt), Greedy32, ["box", "."]);

        Assert.Equal("with her toys", completion.Text);
        Assert.Equal(FinishReason.StopSequence, completion.FinishReason);
        // Generation ended as soon as the decoded text contained "." — well before the 32-token limit.
        Assert.True(completion.TokenIds.Count < 8, $"generated {completion.TokenIds.Count} tokens");
        Assert.EndsWith(".", _tokenizer.Decode(completion.TokenIds), StringComparison.Ordinal);
    }

    [Fact]
    public void Stop_string_inside_a_token_is_found_in_the_decoded_text()
    {
        // The match is on the decoded text, wherever the token boundaries fall.
        var completion = Generator.Generate(_tokenizer.Encode(Stories260k.LilyPrompt), Greedy32, ["oy"]);

        Assert.Equal("with her t", completion.Text);
        Assert.Equal(FinishReason.StopSequence, completion.FinishReason);
    }

    [Fact]
    public void Streamed_deltas_concatenate_to_the_result_and_never_show_a_stop_string()
    {
        var deltas = new List<string>();
        var completion = Generator.Generate(_tokenizer.Encode(Stories260k.LilyPrompt), Greedy32, ["big box."], onTextDelta: deltas.Add);

        // "…She had a big box of toys and a big box. She…": the first "big box" is not followed by ".", the second is.
        Assert.Equal("with her toys. She had a big box of toys and a ", completion.Text);
        Assert.Equal(completion.Text, string.Concat(deltas));
        Assert.True(deltas.Count > 5, $"only {deltas.Count} deltas");
        Assert.DoesNotContain(deltas, d => d.Length == 0);
    }

    [Fact]
    public void Streaming_without_stops_yields_the_whole_text()
    {
        var deltas = new List<string>();
        var completion = Generator.Generate(_tokenizer.Encode(Stories260k.DogPrompt), Greedy32, onTextDelta: deltas.Add);

        Assert.Equal(Stories260k.DogContinuation, string.Concat(deltas));
        Assert.Equal(Stories260k.DogContinuation, completion.Text);
    }

    [Fact]
    public void Empty_stop_string_is_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => Generator.Generate(_tokenizer.Encode("Lily"), Greedy32, [""]));
        Assert.Equal("stopStrings", error.ParamName);
    }

    [Fact]
    public void Cancellation_stops_generation()
    {
        using var cancel = new CancellationTokenSource();
        var generated = 0;
        Assert.ThrowsAny<OperationCanceledException>(() => Generator.Generate(
            _tokenizer.Encode(Stories260k.LilyPrompt),
            Greedy32,
            onTextDelta: _ =>
            {
                if (++generated == 2)
                {
                    cancel.Cancel();
                }
            },
            cancellationToken: cancel.Token));
        Assert.Equal(2, generated);
    }
}
