using Text2Lora.BaseModelReport;
using Text2Lora.IO.Safetensors;
using Text2Lora.Models.Llama;
using Text2Lora.Tests.Infrastructure;
using Text2Lora.Tokenization;
using Text2Lora.Training.Data;

namespace Text2Lora.Tests.BaseModelReport;

/// <summary>Scoring a task's test split by greedy generation, against transformers' greedy sample of stories260k.</summary>
public sealed class DescribedTaskAccuracyTests
{
    [Fact]
    public void Greedy_continuations_are_scored_by_exact_match_with_and_without_the_description()
    {
        using var model = LlamaFamilyModel.Load(FixturePaths.Get("stories260k", "model"));
        var tokenizer = TokenizerLoader.Load(FixturePaths.Get("stories260k", "model"));
        using var expected = SafetensorsFile.Open(FixturePaths.Get("stories260k", "expected.safetensors"));
        using var sampleIds = expected.ReadTensor("sample.output_ids"); // BOS + transformers' greedy 256 ids
        var sample = sampleIds.data<long>().Select(id => (int)id).ToArray();
        var prompt = tokenizer.Decode(sample[1..9]);
        var continuation = tokenizer.Decode(sample[9..15]);
        Assert.Equal(sample[..9], tokenizer.Encode(prompt)); // the prompt text encodes back to the sample's ids

        TrainingTask task = new("story", ["Tell a story."], [], [new(prompt, continuation), new(prompt, continuation + " and")]);
        var plain = DescribedTaskAccuracy.Score(model, tokenizer, task, withDescription: false, limit: 10, batchSize: 2, maxNewTokens: 6);
        var described = DescribedTaskAccuracy.Score(model, tokenizer, task, withDescription: true, limit: 1, batchSize: 2, maxNewTokens: 6);

        Assert.Equal([true, false], plain.Select(s => s.Correct));
        Assert.Equal(continuation.Trim(), plain[0].Generated);
        Assert.Equal(prompt, plain[1].Prompt);
        var item = Assert.Single(described);
        Assert.Equal(DescribedInput.Compose("Tell a story.", prompt), item.Prompt);
    }
}
