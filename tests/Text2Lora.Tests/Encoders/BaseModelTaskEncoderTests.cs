using Text2Lora.Encoders;
using Text2Lora.IO.Safetensors;
using Text2Lora.Models.Llama;
using Text2Lora.Tests.Infrastructure;
using Text2Lora.Tokenization;
using static TorchSharp.torch;

namespace Text2Lora.Tests.Encoders;

/// <summary>The base model as description encoder, against the T2L reference's <c>embed_tokens</c> (Fixtures/t2l/README.md).</summary>
[Trait(TestCategory.Key, TestCategory.Behaviour)]
public sealed class BaseModelTaskEncoderTests
{
    // t2l/README.md suggests atol 1e-5 for intermediates; task_emb values are O(1) (norm 8 over 64 dims).
    private const double Tolerance = 1e-5;

    [Theory]
    [InlineData("M_sft")]
    [InlineData("L_sft")]
    [InlineData("S_sft")]
    public void Last_token_embedding_of_the_fixture_ids_equals_the_reference_task_embedding(string variant)
    {
        using var model = LlamaFamilyModel.Load(FixturePaths.Get("llama", "model"));
        var encoder = new BaseModelTaskEncoder(model, StoriesTokenizer());
        using var expected = SafetensorsFile.Open(FixturePaths.Get("t2l", variant, "expected.safetensors"));
        using var ids = expected.ReadTensor("desc_input_ids");
        using var reference = expected.ReadTensor("task_emb");

        using var embedding = encoder.EncodeTokenIds([ids[0].data<long>().Select(i => (int)i).ToArray()]);

        Assert.Equal(ScalarType.Float32, embedding.dtype);
        Assert.Equal(TorchSharp.DeviceType.CPU, embedding.device_type);
        TensorAssert.Close(reference, embedding, Tolerance);
        Assert.Equal(string.Empty, encoder.Id);
        Assert.Equal(64, encoder.EmbeddingSize);
    }

    [Fact]
    public void Batched_descriptions_of_different_lengths_embed_as_they_do_alone()
    {
        using var model = LlamaFamilyModel.Load(FixturePaths.Get("llama", "model"));
        using var expected = SafetensorsFile.Open(FixturePaths.Get("t2l", "M_sft", "expected.safetensors"));
        using var ids = expected.ReadTensor("desc_input_ids");
        using var reference = expected.ReadTensor("task_emb");
        var full = ids[0].data<long>().Select(i => (int)i).ToArray();
        var encoder = new BaseModelTaskEncoder(model, StoriesTokenizer());

        // The short row is left-padded by 6 positions in the batch; padding must not change any embedding.
        using var batch = encoder.EncodeTokenIds([full, full[..4]]);
        using var alone = encoder.EncodeTokenIds([full[..4]]);

        TensorAssert.Close(reference[0], batch[0], Tolerance);
        TensorAssert.Close(alone[0], batch[1], Tolerance);
    }

    [Fact]
    public void Mean_pooling_averages_the_final_hidden_states_then_scales_to_norm_sqrt_d()
    {
        using var model = LlamaFamilyModel.Load(Stories260k.ModelDirectory);
        var tokenizer = TokenizerLoader.Load(Stories260k.ModelDirectory);
        var encoder = new BaseModelTaskEncoder(model, tokenizer, TaskEmbeddingPooling.Mean);

        using var embedding = encoder.Encode([Stories260k.LilyPrompt]);

        // Independent: the fixture's last hidden state of row 1 (valid positions 12..17, transformers), averaged.
        using var file = SafetensorsFile.Open(Stories260k.ExpectedPath);
        using var hidden = file.ReadTensor("last_hidden_state");
        using var mean = hidden[1].narrow(0, 12, 6).mean([0]);
        using var scaled = mean / mean.norm() * Math.Sqrt(64);
        // Hidden states carry the fixture's 1e-4 tolerance; after scaling by √64/‖mean‖ (‖mean‖ is O(10)) it stays below 1e-4.
        TensorAssert.Close(scaled.unsqueeze(0), embedding, 1e-4);
        using var norm = embedding.norm();
        Assert.Equal(8.0, norm.item<float>(), 4);
    }

    [Fact]
    public void Text_descriptions_use_the_tokenizer_with_its_special_tokens()
    {
        using var model = LlamaFamilyModel.Load(Stories260k.ModelDirectory);
        var tokenizer = TokenizerLoader.Load(Stories260k.ModelDirectory);
        var encoder = new BaseModelTaskEncoder(model, tokenizer);

        using var fromText = encoder.Encode(["  Lily   liked to play "]);
        using var fromIds = encoder.EncodeTokenIds([[1, 317, 397, 355, 267, 337]]); // fixture row 1: BOS + "Lily liked to play"

        TensorAssert.Close(fromIds, fromText, 0);
        Assert.Throws<ArgumentException>(() => encoder.Encode([" "]));
        Assert.Throws<ArgumentException>(() => encoder.EncodeTokenIds([[]]));
    }

    private static ITextTokenizer StoriesTokenizer() => TokenizerLoader.Load(Stories260k.ModelDirectory);
}
