using Text2Lora.Evaluation.TaskSuite;
using Text2Lora.IO.Safetensors;
using Text2Lora.Lora;
using Text2Lora.Models.Llama;
using Text2Lora.Tests.Infrastructure;
using Text2Lora.Tokenization;
using Text2Lora.Tasks;
using TorchSharp;
using static TorchSharp.torch;

namespace Text2Lora.Tests.Evaluation;

/// <summary>Answering task-suite prompts by greedy generation, against transformers' greedy sample of stories260k.</summary>
[Trait(TestCategory.Key, TestCategory.Behaviour)]
[Collection(nameof(Text2Lora.Tests.Hypernetworks.NativeMemoryCollection))]
public sealed class TaskSuiteAnsweringTests
{
    [Fact]
    public void Greedy_continuations_are_scored_by_the_tasks_rule()
    {
        using var model = LlamaFamilyModel.Load(FixturePaths.Get("stories260k", "model"));
        var tokenizer = TokenizerLoader.Load(FixturePaths.Get("stories260k", "model"));
        var (prompt, continuation) = SampleContinuation(tokenizer, 6);

        var answers = TaskSuiteAnswering.Answer(model, tokenizer,
        [
            new("story", 0, prompt, continuation, TaskScoring.Exact),
            new("story", 1, prompt, continuation + " and", TaskScoring.Exact),
            new("story", 2, prompt, continuation.ToUpperInvariant(), TaskScoring.Exact), // exact is case-sensitive
        ], batchSize: 2, maxNewTokens: 6);

        Assert.Equal([true, false, false], answers.Select(a => a.Correct));
        Assert.Equal(continuation.Trim(), answers[0].Generated);
        Assert.Equal([0, 1, 2], answers.Select(a => a.Prompt.ExampleIndex));
    }

    [Fact]
    public void A_prompts_answer_does_not_depend_on_its_neighbours_adapters()
    {
        using var model = LlamaFamilyModel.Load(FixturePaths.Get("stories260k", "model"));
        var tokenizer = TokenizerLoader.Load(FixturePaths.Get("stories260k", "model"));
        var (prompt, continuation) = SampleContinuation(tokenizer, 8);
        using var adapter = TestAdapters.RandomQv(model.LoraTargets);

        var alone = TaskSuiteAnswering.Answer(model, tokenizer, [new("t", 0, prompt, continuation, TaskScoring.Exact, adapter)], 1, 8);
        var mixed = TaskSuiteAnswering.Answer(model, tokenizer,
            [new("t", 0, prompt, continuation, TaskScoring.Exact), new("t", 1, prompt, continuation, TaskScoring.Exact, adapter)], 2, 8);

        Assert.True(mixed[0].Correct); // no adapter: transformers' greedy continuation
        Assert.Equal(alone[0].Generated, mixed[1].Generated);
        Assert.NotEqual(mixed[0].Generated, mixed[1].Generated); // the adapter is strong enough to change the answer
    }

    [Fact]
    public void Answering_with_mixed_adapters_leaves_no_live_tensors()
    {
        using var model = LlamaFamilyModel.Load(FixturePaths.Get("stories260k", "model"));
        var tokenizer = TokenizerLoader.Load(FixturePaths.Get("stories260k", "model"));
        using var adapter = TestAdapters.RandomQv(model.LoraTargets);
        var prompts = Enumerable.Range(0, 5).Select(i => new TaskSuitePrompt("t", i, "Lily", "x", TaskScoring.Exact, i % 2 == 0 ? adapter : null)).ToList();

        TaskSuiteAnswering.Answer(model, tokenizer, prompts, batchSize: 2, maxNewTokens: 4); // warm-up (lazy tables)
        var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (var i = 0; i < 3; i++)
        {
            TaskSuiteAnswering.Answer(model, tokenizer, prompts, batchSize: 2, maxNewTokens: 4);
        }

        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Theory]
    [InlineData(TaskScoring.Numeric, "The answer is 42.", "42", true)]
    [InlineData(TaskScoring.Numeric, "41 or 42", "42", false)] // the first integer counts
    [InlineData(TaskScoring.Numeric, "-3", "-3", true)]
    [InlineData(TaskScoring.Numeric, "no number", "0", false)]
    [InlineData(TaskScoring.Exact, "  APPLE ", "APPLE", true)]
    [InlineData(TaskScoring.Exact, "apple", "APPLE", false)]
    [InlineData(TaskScoring.Exact, "apple.", "apple", false)]
    public void Scoring_rules_follow_the_suites_readme(TaskScoring scoring, string generated, string expected, bool correct) =>
        Assert.Equal(correct, TaskScoringRules.IsCorrect(scoring, generated, expected));

    private static (string Prompt, string Continuation) SampleContinuation(ITextTokenizer tokenizer, int length)
    {
        using var expected = SafetensorsFile.Open(FixturePaths.Get("stories260k", "expected.safetensors"));
        using var sampleIds = expected.ReadTensor("sample.output_ids"); // BOS + transformers' greedy 256 ids
        var sample = sampleIds.data<long>().Select(id => (int)id).ToArray();
        var prompt = tokenizer.Decode(sample[1..9]);
        Assert.Equal(sample[..9], tokenizer.Encode(prompt)); // the prompt text encodes back to the sample's ids
        return (prompt, tokenizer.Decode(sample[9..(9 + length)]));
    }
}
