using Text2Lora.Evaluation.Abstractions;
using Text2Lora.Evaluation.Benchmarks;
using Text2Lora.Evaluation.Items;
using Text2Lora.Evaluation.Scoring;
using Text2Lora.Tests.Infrastructure;

namespace Text2Lora.Tests.Evaluation;

/// <summary>The loaders read the shared 20-item samples; expected values are read off the sample lines by hand.</summary>
[Trait(TestCategory.Key, TestCategory.Behaviour)]
public sealed class BenchmarkLoaderTests
{
    private static string Sample(string name) => FixturePaths.Get("bench-samples", name + ".jsonl");

    [Theory]
    [InlineData("arc_easy", true)]
    [InlineData("arc_challenge", true)]
    [InlineData("boolq", true)]
    [InlineData("gsm8k", false)]
    [InlineData("hellaswag", true)]
    [InlineData("openbookqa", true)]
    [InlineData("piqa", true)]
    [InlineData("winogrande", true)]
    public void Every_sample_loads_all_twenty_items_in_both_formats(string name, bool multipleChoice)
    {
        var benchmark = BenchmarkCatalog.Get(name);
        Assert.Equal(multipleChoice, benchmark.IsMultipleChoice);
        foreach (var format in new[] { BenchmarkPromptFormat.T2l, BenchmarkPromptFormat.Harness })
        {
            var items = benchmark.Load(Sample(name), format);
            Assert.Equal(20, items.Count);
            Assert.Equal(20, items.Select(i => i.Id).Distinct().Count());
            Assert.All(items, item => Assert.Equal(multipleChoice, item is MultipleChoiceItem));
        }
    }

    [Fact]
    public void Arc_t2l_prompt_follows_the_reference_template()
    {
        var item = (MultipleChoiceItem)BenchmarkCatalog.Get("arc_easy").Load(Sample("arc_easy"), BenchmarkPromptFormat.T2l, limit: 2)[1];

        Assert.Equal("Mercury_7081673", item.Id);
        Assert.Equal(1, item.GoldIndex);
        Assert.Equal("B", item.Gold.Label);
        Assert.Equal(
            "Answer the question below by choosing the correct choice.\n\n"
            + "Which piece of safety equipment is used to keep mold spores from entering the respiratory system?\n\n"
            + "A: safety goggles\nB: breathing mask\nC: rubber gloves\nD: lead apron\n\n"
            + "You must respond with the letter corresponding to the correct choice without any explanation.",
            item.QuestionPrompt!.Text);
        Assert.Equal(PromptStyle.Chat, item.QuestionPrompt.Style);
        Assert.Equal(["A", "B", "C", "D"], item.Options.Select(o => o.Continuation));
        Assert.All(item.Options, o => Assert.Same(item.QuestionPrompt, o.Context));
    }

    [Fact]
    public void Arc_harness_scores_choice_texts_after_a_space()
    {
        var item = (MultipleChoiceItem)BenchmarkCatalog.Get("arc_easy").Load(Sample("arc_easy"), BenchmarkPromptFormat.Harness, limit: 2)[1];

        Assert.Null(item.QuestionPrompt);
        var context = item.Options[0].Context;
        Assert.Equal(PromptStyle.Raw, context.Style);
        Assert.Equal("Question: Which piece of safety equipment is used to keep mold spores from entering the respiratory system?\nAnswer:", context.Text);
        Assert.Equal(" safety goggles", item.Options[0].Continuation);
        Assert.Equal(14, item.Options[0].CharacterCount); // "safety goggles", without the delimiter
        Assert.Equal(" breathing mask", item.Gold.Continuation);
    }

    [Fact]
    public void Arc_numeric_labels_are_kept()
    {
        var item = BenchmarkCatalog.Get("arc_easy").Load(Sample("arc_easy"), BenchmarkPromptFormat.T2l)
            .OfType<MultipleChoiceItem>().Single(i => i.Id == "NYSEDREGENTS_2015_8_28");

        Assert.Equal(["1", "2", "3", "4"], item.Options.Select(o => o.Label));
        Assert.Equal(1, item.GoldIndex);
    }

    [Theory]
    [InlineData("""["A", "B", "C"]""", "C", "A: x\nB: y\nC: z\nD: N/A", "D")]
    [InlineData("""["1", "2", "3"]""", "3", "1: x\n2: y\n3: z\n4: N/A", "4")]
    public void Arc_t2l_pads_three_choices_to_four_with_NA(string labels, string answerKey, string listing, string addedLabel)
    {
        using var dir = new TempDirectory();
        var path = dir.File("arc.jsonl");
        File.WriteAllText(path, $$"""{"id": "q1", "question": "Q?", "choices": {"text": ["x", "y", "z"], "label": {{labels}}}, "answerKey": "{{answerKey}}"}""" + "\n");

        var t2l = (MultipleChoiceItem)new ArcBenchmark("arc_challenge").Load(path, BenchmarkPromptFormat.T2l).Single();
        var harness = (MultipleChoiceItem)new ArcBenchmark("arc_challenge").Load(path, BenchmarkPromptFormat.Harness).Single();

        Assert.Contains("\n\n" + listing + "\n\n", t2l.QuestionPrompt!.Text, StringComparison.Ordinal);
        Assert.Equal(4, t2l.Options.Count);
        Assert.Equal(addedLabel, t2l.Options[3].Label);
        Assert.Equal(2, t2l.GoldIndex);
        Assert.Equal(3, harness.Options.Count);
        Assert.Equal(2, harness.GoldIndex);
    }

    [Fact]
    public void BoolQ_maps_the_boolean_answer_to_false_true_options()
    {
        var items = BenchmarkCatalog.Get("boolq").Load(Sample("boolq"), BenchmarkPromptFormat.Harness, limit: 1);
        var item = (MultipleChoiceItem)items[0];

        Assert.Equal("0", item.Id);
        Assert.Equal(0, item.GoldIndex); // "answer": false
        Assert.Equal(["false", "true"], item.Options.Select(o => o.Label));
        Assert.Equal([" no", " yes"], item.Options.Select(o => o.Continuation));
        Assert.StartsWith("All biomass goes through at least some of these steps", item.Options[0].Context.Text, StringComparison.Ordinal);
        Assert.EndsWith("\nQuestion: does ethanol take more energy make that produces?\nAnswer:", item.Options[0].Context.Text, StringComparison.Ordinal);

        var t2l = (MultipleChoiceItem)BenchmarkCatalog.Get("boolq").Load(Sample("boolq"), BenchmarkPromptFormat.T2l, limit: 1)[0];
        Assert.EndsWith("\n\nQuestion: does ethanol take more energy make that produces?\n\nPlease answer with only `true` or `false` without any explanation.", t2l.QuestionPrompt!.Text, StringComparison.Ordinal);
        Assert.Equal(["false", "true"], t2l.Options.Select(o => o.Continuation));
    }

    [Fact]
    public void Gsm8k_gold_is_the_number_after_the_marker()
    {
        var items = BenchmarkCatalog.Get("gsm8k").Load(Sample("gsm8k"), BenchmarkPromptFormat.T2l).Cast<GenerationItem>().ToList();

        Assert.Equal(["18", "3", "70000", "540", "20"], items.Take(5).Select(i => i.GoldAnswers.Single()));
        Assert.Equal("0", items[0].Id);
        Assert.Equal(AnswerMatching.NumericValue, items[0].Matching);
        Assert.Equal("Let's think step by step. ", items[0].Prompt.AssistantPrefill);
        Assert.StartsWith("Please answer the following question: Janet’s ducks lay 16 eggs per day.", items[0].Prompt.Text, StringComparison.Ordinal);

        var harness = (GenerationItem)BenchmarkCatalog.Get("gsm8k").Load(Sample("gsm8k"), BenchmarkPromptFormat.Harness, limit: 1)[0];
        Assert.StartsWith("Question: Janet’s ducks", harness.Prompt.Text, StringComparison.Ordinal);
        Assert.EndsWith("\nAnswer:", harness.Prompt.Text, StringComparison.Ordinal);
        Assert.Equal(["Question:"], harness.StopSequences);
    }

    [Fact]
    public void HellaSwag_harness_context_is_activity_label_and_ctx()
    {
        var item = (MultipleChoiceItem)BenchmarkCatalog.Get("hellaswag").Load(Sample("hellaswag"), BenchmarkPromptFormat.Harness, limit: 1)[0];

        Assert.Equal(3, item.GoldIndex);
        Assert.Equal("Roof shingle removal: A man is sitting on a roof. he", item.Options[0].Context.Text);
        Assert.Equal(" starts pulling up roofing on a roof.", item.Gold.Continuation);
        Assert.Equal(["0", "1", "2", "3"], item.Options.Select(o => o.Label));

        var t2l = (MultipleChoiceItem)BenchmarkCatalog.Get("hellaswag").Load(Sample("hellaswag"), BenchmarkPromptFormat.T2l, limit: 1)[0];
        Assert.Contains("Passage: A man is sitting on a roof. he\n\n0: is using wrap to wrap a pair of skis.\n1: is ripping level tiles off.\n", t2l.QuestionPrompt!.Text, StringComparison.Ordinal);
        Assert.Equal("3", t2l.Gold.Continuation);
    }

    [Fact]
    public void OpenBookQa_uses_question_stem()
    {
        var item = (MultipleChoiceItem)BenchmarkCatalog.Get("openbookqa").Load(Sample("openbookqa"), BenchmarkPromptFormat.Harness, limit: 2)[1];

        Assert.Equal("1129", item.Id);
        Assert.Equal(0, item.GoldIndex);
        Assert.Equal("There is most likely going to be fog around:", item.Options[0].Context.Text);
        Assert.Equal(" a marsh", item.Gold.Continuation);

        var t2l = (MultipleChoiceItem)BenchmarkCatalog.Get("openbookqa").Load(Sample("openbookqa"), BenchmarkPromptFormat.T2l, limit: 2)[1];
        Assert.Equal(
            "Complete the following passage or answer the question by choosing the correct choice.\n\n\n"
            + "There is most likely going to be fog around:\n\nA: a marsh\nB: a tundra\nC: the plains\nD: a desert\n\n"
            + "You must respond with the letter corresponding to the correct choice (A,B,C,D) without any explanation.",
            t2l.QuestionPrompt!.Text);
    }

    [Fact]
    public void Piqa_label_selects_sol1_or_sol2()
    {
        var item = (MultipleChoiceItem)BenchmarkCatalog.Get("piqa").Load(Sample("piqa"), BenchmarkPromptFormat.Harness, limit: 2)[1];

        Assert.Equal("1", item.Id);
        Assert.Equal(1, item.GoldIndex);
        Assert.Equal("Question: dresser\nAnswer:", item.Options[0].Context.Text);
        Assert.Equal(" finish, woodgrain with  bobby pin ", item.Gold.Continuation);

        var t2l = (MultipleChoiceItem)BenchmarkCatalog.Get("piqa").Load(Sample("piqa"), BenchmarkPromptFormat.T2l, limit: 2)[1];
        Assert.EndsWith("\"\"\"\ndresser\n\"\"\"\n\n0: replace drawer with bobby pin \n1: finish, woodgrain with  bobby pin \n\nYou must respond with either `0` or `1` without any explanation.", t2l.QuestionPrompt!.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void WinoGrande_harness_scores_the_rest_of_the_sentence_after_each_filled_in_option()
    {
        var item = (MultipleChoiceItem)BenchmarkCatalog.Get("winogrande").Load(Sample("winogrande"), BenchmarkPromptFormat.Harness, limit: 1)[0];

        Assert.Equal(1, item.GoldIndex); // "answer": "2"
        Assert.Equal("Sarah was a much better surgeon than Maria so Sarah", item.Options[0].Context.Text);
        Assert.Equal("Sarah was a much better surgeon than Maria so Maria", item.Options[1].Context.Text);
        Assert.All(item.Options, o => Assert.Equal(" always got the easier cases.", o.Continuation));

        var t2l = (MultipleChoiceItem)BenchmarkCatalog.Get("winogrande").Load(Sample("winogrande"), BenchmarkPromptFormat.T2l, limit: 1)[0];
        Assert.Equal(
            "Given the following situation:\n\nSarah was a much better surgeon than Maria so _ always got the easier cases.\n\n"
            + "Which option is correct?\n\nOption 1: Sarah\nOption 2: Maria\n\nYou must respond with either `1` or `2` without any explanation.",
            t2l.QuestionPrompt!.Text);
    }

    [Fact]
    public void Limit_reads_only_the_first_items()
    {
        var items = BenchmarkCatalog.Get("piqa").Load(Sample("piqa"), BenchmarkPromptFormat.T2l, limit: 3);
        Assert.Equal(["0", "1", "2"], items.Select(i => i.Id));
    }

    [Theory]
    [InlineData("ARC-Easy", "arc_easy")]
    [InlineData("tasks", "tasks")]
    [InlineData("WinoGrande", "winogrande")]
    public void Catalog_names_are_case_and_dash_insensitive(string name, string expected) =>
        Assert.Equal(expected, BenchmarkCatalog.Get(name).Name);

    [Fact]
    public void Unknown_benchmark_lists_the_supported_ones()
    {
        var ex = Assert.Throws<ArgumentException>(() => BenchmarkCatalog.Get("mmlu"));
        Assert.Contains("mmlu", ex.Message, StringComparison.Ordinal);
        Assert.Contains("arc_easy, arc_challenge, boolq, gsm8k, hellaswag, openbookqa, piqa, winogrande, tasks", ex.Message, StringComparison.Ordinal);
    }
}
