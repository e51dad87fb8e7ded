using Text2Lora.TextGeneration;
using Text2Lora.Encoders;
using Text2Lora.Evaluation.Abstractions;
using Text2Lora.Evaluation.Models;
using Text2Lora.Models.Llama;
using Text2Lora.Tests.Infrastructure;
using Text2Lora.Tokenization;
using TorchSharp;

namespace Text2Lora.Tests.Generation;

/// <summary>Repeated text generation, scoring and description encoding leave no live tensors behind.</summary>
[Trait(TestCategory.Key, TestCategory.Memory)]
public sealed class TextPathsMemoryTests : IDisposable
{
    private const int Repeats = 20;

    private readonly LlamaFamilyModel _model = LlamaFamilyModel.Load(Stories260k.ModelDirectory);
    private readonly ITextTokenizer _tokenizer = TokenizerLoader.Load(Stories260k.ModelDirectory);

    public void Dispose() => _model.Dispose();

    private static long LiveTensors() => DisposeScopeManager.Statistics.ThreadTotalLiveCount;

    [Fact]
    public void Text_generation_with_stops_and_streaming()
    {
        var generator = new TextGenerator(_model, _tokenizer);
        var prompt = _tokenizer.Encode(Stories260k.LilyPrompt);
        generator.Generate(prompt, new GenerationOptions { MaxNewTokens = 8 }, ["box"], onTextDelta: _ => { });
        var before = LiveTensors();

        for (var i = 0; i < Repeats; i++)
        {
            generator.Generate(prompt, new GenerationOptions { MaxNewTokens = 16 }, ["big box."], onTextDelta: _ => { });
        }

        Assert.Equal(before, LiveTensors());
    }

    [Fact]
    public void Continuation_scoring()
    {
        using var evaluation = new BaseModelEvaluationModel(_model, _tokenizer, chatTemplate: null, batchSize: 2);
        ContinuationRequest[] requests = [new(EvaluationPrompt.Raw("Lily liked"), " to play"), new(EvaluationPrompt.Raw("Once upon a time"), ", there was"), new(EvaluationPrompt.Raw("Max"), " ran")];
        evaluation.ScoreContinuations(requests);
        var before = LiveTensors();

        for (var i = 0; i < Repeats; i++)
        {
            evaluation.ScoreContinuations(requests);
        }

        Assert.Equal(before, LiveTensors());
    }

    [Fact]
    public void Description_encoding()
    {
        var encoder = new BaseModelTaskEncoder(_model, _tokenizer, TaskEmbeddingPooling.Mean);
        encoder.Encode(["Continue the story."]).Dispose();
        var before = LiveTensors();

        for (var i = 0; i < Repeats; i++)
        {
            using var embedding = encoder.Encode(["Continue the story.", "Write about a dog named Max."]);
        }

        Assert.Equal(before, LiveTensors());
    }
}
