using Text2Lora.Abstractions;
using Text2Lora.Evaluation.Abstractions;
using Text2Lora.Evaluation.Models;
using Text2Lora.IO.Safetensors;
using Text2Lora.Models.Llama;
using Text2Lora.Tests.Infrastructure;
using Text2Lora.Tokenization;
using static TorchSharp.torch;

namespace Text2Lora.Tests.Evaluation;

/// <summary>The evaluation adapter over the real stories260k base model.</summary>
[Trait(TestCategory.Key, TestCategory.Behaviour)]
public sealed class BaseModelEvaluationModelTests : IDisposable
{
    private readonly LlamaFamilyModel _model = LlamaFamilyModel.Load(Stories260k.ModelDirectory);
    private readonly ITextTokenizer _tokenizer = TokenizerLoader.Load(Stories260k.ModelDirectory);

    public void Dispose() => _model.Dispose();

    [Fact]
    public async Task Continuation_log_likelihood_equals_the_sum_of_transformers_step_log_probs()
    {
        // The fixture's greedy continuation of row 0: its ids and transformers' next-token logits at each step.
        using var file = SafetensorsFile.Open(Stories260k.ExpectedPath);
        using var output = file.ReadTensor("gen.single0.output_ids");
        using var steps = file.ReadTensor("gen.single0.step_logits");
        var generated = output[0].data<long>().Skip(18).Take(8).ToArray();
        var expected = 0.0;
        for (var t = 0; t < generated.Length; t++)
        {
            using var logProbs = steps[t, 0].to_type(ScalarType.Float64).log_softmax(0);
            expected += logProbs[generated[t]].item<double>();
        }

        using var evaluation = new BaseModelEvaluationModel(_model, _tokenizer, chatTemplate: null);
        var continuation = " " + _tokenizer.Decode(generated.Select(i => (int)i)); // " loved to play with his toys …"
        var scores = await evaluation.ScoreContinuationsAsync([new ContinuationRequest(EvaluationPrompt.Raw(Stories260k.DogPrompt), continuation)]);

        var score = Assert.Single(scores);
        Assert.Equal(8, score.TokenCount);
        // Logits agree with transformers within 2e-4 (stories260k/README.md), so each log-prob within 4e-4; 8 tokens.
        Assert.True(Math.Abs(expected - score.LogLikelihood) <= 8 * 4e-4, $"expected {expected}, got {score.LogLikelihood}");
    }

    [Fact]
    public async Task Batched_scores_equal_one_unpadded_forward_per_request()
    {
        ContinuationRequest[] requests =
        [
            new(EvaluationPrompt.Raw(Stories260k.DogPrompt), " loved to play"),
            new(EvaluationPrompt.Raw("Lily liked to play "), "with her toys."), // trailing space moves to the continuation
            new(EvaluationPrompt.Chat(Stories260k.LilyPrompt), " in the park"), // no chat template: plain text
            new(EvaluationPrompt.Raw("Once"), " upon a time, there was a big red ball that was very happy"),
        ];
        using var evaluation = new BaseModelEvaluationModel(_model, _tokenizer, chatTemplate: null, batchSize: 3);

        var scores = await evaluation.ScoreContinuationsAsync(requests);

        Assert.Equal(requests.Length, scores.Count);
        for (var i = 0; i < requests.Length; i++)
        {
            var (logLikelihood, tokens) = Independent(requests[i].Context.Text.TrimEnd(), requests[i].Context.Text[requests[i].Context.Text.TrimEnd().Length..] + requests[i].Continuation);
            Assert.Equal(tokens, scores[i].TokenCount);
            // Left padding in the batch changes float32 rounding only (~1e-5 per logit, stories260k/README.md).
            Assert.True(Math.Abs(logLikelihood - scores[i].LogLikelihood) <= 1e-3, $"request {i}: expected {logLikelihood}, got {scores[i].LogLikelihood}");
            Assert.True(scores[i].LogLikelihood < 0);
        }
    }

    [Fact]
    public async Task Continuation_without_tokens_is_rejected()
    {
        using var evaluation = new BaseModelEvaluationModel(_model, _tokenizer, chatTemplate: null);
        await Assert.ThrowsAsync<ArgumentException>(() => evaluation.ScoreContinuationsAsync([new ContinuationRequest(EvaluationPrompt.Raw("Lily"), "")]));
    }

    [Theory]
    [InlineData(new string[0], Stories260k.LilyContinuation)]
    [InlineData(new[] { "." }, "with her toys")]
    [InlineData(new[] { "box", "She" }, "with her toys. ")]
    public async Task Greedy_generation_stops_before_the_first_stop_sequence(string[] stops, string expected)
    {
        using var evaluation = new BaseModelEvaluationModel(_model, _tokenizer, chatTemplate: null);

        var text = await evaluation.GenerateAsync(new TextGenerationRequest(EvaluationPrompt.Raw(Stories260k.LilyPrompt), Stories260k.GeneratedTokens, stops));

        Assert.Equal(expected, text);
    }

    /// <summary>Log-likelihood of <paramref name="continuation"/> after <paramref name="context"/> from one forward pass of the unpadded ids.</summary>
    private (double LogLikelihood, int Tokens) Independent(string context, string continuation)
    {
        var contextIds = _tokenizer.Encode(context);
        var whole = _tokenizer.Encode(context + continuation);
        var count = whole.Count - contextIds.Count;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var ids = tensor(whole.Select(i => (long)i).ToArray(), [1, whole.Count]);
        using var output = _model.Forward(new ModelForwardInput(ids));
        var logProbs = output.Logits![0].to_type(ScalarType.Float64).log_softmax(-1);
        var sum = 0.0;
        for (var k = 0; k < count; k++)
        {
            var position = whole.Count - count + k;
            sum += logProbs[position - 1, whole[position]].item<double>();
        }

        return (sum, count);
    }
}
