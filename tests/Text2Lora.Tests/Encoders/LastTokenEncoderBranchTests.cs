using Text2Lora.Abstractions;
using Text2Lora.Encoders;
using Text2Lora.Models.Llama;
using Text2Lora.Runtime;
using Text2Lora.Tests.Infrastructure;
using Text2Lora.Tokenization;
using static TorchSharp.torch;

namespace Text2Lora.Tests.Encoders;

/// <summary>
/// The two last-token branches of the encoder rule on the stories260K Llama (real tokenizer): <c>emb_model: ""</c>
/// (the base model embeds <c>add_full_stop</c>(description)) and a name containing "SFR" (a Mistral-style decoder
/// embedding model fed the SFR instruction template). Expected values are derived here from the reference semantics
/// alone: the literal encoder input, tokenized with BOS, one unpadded forward pass, the final hidden state (after the
/// last norm) at the last token, <c>x / max(‖x‖, 1e-12) · √hidden</c>. The encoder under test embeds both descriptions
/// in one left-padded batch, so padding and pooling are checked too.
/// </summary>
[Trait(TestCategory.Key, TestCategory.Behaviour)]
public sealed class LastTokenEncoderBranchTests : IDisposable
{
    // float32 throughout; batching with padding only changes reduction order (~1e-6 on values of norm √64 = 8).
    private const double Tolerance = 1e-5;
    private static readonly string Stories = FixturePaths.Get("stories260k", "model");
    private readonly TempDirectory _work = new();

    public LastTokenEncoderBranchTests() => TorchRuntime.EnsureAvailable();

    public void Dispose() => _work.Dispose();

    private static Tensor Expected(string folder, IReadOnlyList<string> encoderInputs)
    {
        var tokenizer = TokenizerLoader.Load(folder);
        using var model = LlamaFamilyModel.Load(folder);
        using var scope = NewDisposeScope();
        var rows = new List<Tensor>();
        using var noGrad = no_grad();
        foreach (var text in encoderInputs)
        {
            var ids = tokenizer.Encode(text);
            Assert.Equal(tokenizer.BosTokenId, ids[0]); // BOS as the HF tokenizer adds it
            using var input = tensor(ids.Select(i => (long)i).ToArray(), [1, ids.Count], ScalarType.Int64);
            using var output = model.Forward(new ModelForwardInput(input) { OutputHiddenStates = true, ComputeLogits = false });
            var last = output.HiddenStates![^1][0, ids.Count - 1].to_type(ScalarType.Float32);
            var scaled = last / last.norm().clamp_min(1e-12) * Math.Sqrt(last.shape[0]);
            rows.Add(scaled);
        }

        return stack(rows).MoveToOuterDisposeScope();
    }

    private static FormattedTaskEncoder Load(string name, string? baseModel) =>
        new TaskEncoderLoader().Load(TaskEncoderSelection.Choose(name), new TaskEncoderLoadContext { BaseModelDirectory = baseModel, DType = ScalarType.Float32 });

    [Fact]
    public void Empty_emb_model_embeds_add_full_stop_text_with_the_base_model()
    {
        using var encoder = Load("", Stories);
        Assert.Equal(string.Empty, encoder.Id);

        using var actual = encoder.Encode([" Add the two\nnumbers ", "Count to 10"]);

        using var expected = Expected(Stories, ["Add the two\nnumbers.", "Count to 10"]);
        TensorAssert.Close(expected, actual, Tolerance);
    }

    [Fact]
    public void Sfr_names_embed_the_instruction_template_with_last_token_pooling()
    {
        var sfr = _work.File("tiny-SFR-Embedding-Mistral");
        Directory.CreateDirectory(sfr);
        foreach (var file in Directory.GetFiles(Stories))
        {
            File.Copy(file, Path.Combine(sfr, Path.GetFileName(file)));
        }

        using var encoder = Load(sfr, baseModel: null);
        Assert.Equal(DescriptionFormat.SfrInstruction, encoder.Format);

        using var actual = encoder.Encode([" Add the two\nnumbers ", "Count"]);

        using var expected = Expected(sfr, [
            "Instruct: Retrieve semantically similar text.\nQuery:  Add the two\nnumbers ",
            "Instruct: Retrieve semantically similar text.\nQuery: Count",
        ]);
        TensorAssert.Close(expected, actual, Tolerance);
    }

    [Fact]
    public void The_base_model_branch_without_a_base_model_says_what_to_pass()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Load("", baseModel: null));
        Assert.Contains("base model", error.Message, StringComparison.Ordinal);
    }
}
