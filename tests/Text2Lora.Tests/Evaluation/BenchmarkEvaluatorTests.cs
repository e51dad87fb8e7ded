using Text2Lora.Evaluation.Abstractions;
using Text2Lora.Evaluation.Items;
using Text2Lora.Evaluation.Running;
using Text2Lora.Evaluation.Scoring;
using Text2Lora.Tests.Infrastructure;

namespace Text2Lora.Tests.Evaluation;

/// <summary>Accuracy of hand-made items under hand-set log-likelihoods and generations, computed by hand.</summary>
[Trait(TestCategory.Key, TestCategory.Behaviour)]
public sealed class BenchmarkEvaluatorTests
{
    private static MultipleChoiceItem Cloze(string id, string question, int gold, params string[] choices)
    {
        var context = EvaluationPrompt.Raw(question);
        var options = choices.Select((c, i) => AnswerOption.Create(((char)('A' + i)).ToString(), context, " ", c)).ToList();
        return new MultipleChoiceItem(id, options, gold, null);
    }

    // q1: gold A "cat"(3 chars)   sums −2 (1 tok), −3 ("tiger", 5 chars, 1 tok)     acc ✓ (A)  per-token ✓ (A: −2 > −3)  acc_norm ✗ (−0.667 < −0.6 → B)
    // q2: gold B "sun"(3) vs "moonlight"(9): sums −6 (2 tok), −7 (1 tok)
    //     acc ✗ (A −6 > −7)   per-token ✗ (A −3 > −7)   acc_norm ✓ (A −2 < B −0.778 → B)
    // q3: gold A "red"(3) vs "blue"(4): sums −1 (1), −1 (1) exact tie → A under sum and per token, per char A −0.333 < B −0.25 → B
    //     acc ✓  per-token ✓  acc_norm ✗
    // acc = 2/3, acc_per_token = 2/3, acc_norm = 1/3
    private static (FakeEvaluationModel Model, List<EvaluationItem> Items) ThreeQuestions()
    {
        var model = new FakeEvaluationModel()
            .Score("q1", " cat", -2, 1).Score("q1", " tiger", -3, 1)
            .Score("q2", " sun", -6, 2).Score("q2", " moonlight", -7, 1)
            .Score("q3", " red", -1, 1).Score("q3", " blue", -1, 1);
        List<EvaluationItem> items = [Cloze("1", "q1", 0, "cat", "tiger"), Cloze("2", "q2", 1, "sun", "moonlight"), Cloze("3", "q3", 0, "red", "blue")];
        return (model, items);
    }

    [Fact]
    public async Task Log_likelihood_accuracy_under_each_normalisation()
    {
        var (model, items) = ThreeQuestions();

        var report = await new BenchmarkEvaluator(model).EvaluateAsync("toy", items);

        Assert.Equal(3, model.ScoreCalls);
        Assert.Equal("acc", report.Summary.PrimaryMetric);
        Assert.Equal(3, report.Summary.ItemCount);
        Assert.Equal(2, report.Summary.CorrectCount);
        Assert.Equal(2.0 / 3, report.Summary.Accuracy, 12);
        Assert.Equal(2.0 / 3, report.Summary.Metrics["acc"], 12);
        Assert.Equal(2.0 / 3, report.Summary.Metrics["acc_per_token"], 12);
        Assert.Equal(1.0 / 3, report.Summary.Metrics["acc_norm"], 12);
        Assert.Equal(["A", "A", "A"], report.Items.Select(i => i.Prediction));
        Assert.Equal(["A", "B", "A"], report.Items.Select(i => i.Gold));
        Assert.Equal([true, false, true], report.Items.Select(i => i.Correct));
    }

    [Fact]
    public async Task Primary_normalisation_sets_prediction_and_accuracy()
    {
        var (model, items) = ThreeQuestions();

        var report = await new BenchmarkEvaluator(model).EvaluateAsync("toy", items, new EvaluationOptions { Normalization = ChoiceNormalization.PerCharacter });

        Assert.Equal("acc_norm", report.Summary.PrimaryMetric);
        Assert.Equal(1.0 / 3, report.Summary.Accuracy, 12);
        Assert.Equal(["B", "B", "B"], report.Items.Select(i => i.Prediction));
        Assert.Equal([false, true, false], report.Items.Select(i => i.Correct));
        var scores = report.Items[1].ChoiceScores!;
        Assert.Equal(("A", -6.0, 2, 3), (scores[0].Label, scores[0].LogLikelihood, scores[0].TokenCount, scores[0].CharacterCount));
        Assert.Equal(("B", -7.0, 1, 9), (scores[1].Label, scores[1].LogLikelihood, scores[1].TokenCount, scores[1].CharacterCount));
    }

    [Fact]
    public async Task Choice_by_generation_matches_labels()
    {
        var prompt = EvaluationPrompt.Chat("Pick A or B");
        var other = EvaluationPrompt.Chat("Pick again");
        List<EvaluationItem> items =
        [
            new MultipleChoiceItem("g1", [AnswerOption.Create("A", prompt, "", "A"), AnswerOption.Create("B", prompt, "", "B")], 1, prompt),
            new MultipleChoiceItem("g2", [AnswerOption.Create("A", other, "", "A"), AnswerOption.Create("B", other, "", "B")], 0, other),
        ];
        var model = new FakeEvaluationModel().Generate("Pick A or B", "B. Because.").Generate("Pick again", "I think C");

        var report = await new BenchmarkEvaluator(model).EvaluateAsync("toy", items, new EvaluationOptions { MultipleChoiceScoring = ScoringMethod.Generation, MaxChoiceAnswerTokens = 5 });

        Assert.Equal(0.5, report.Summary.Accuracy);
        Assert.Equal("B", report.Items[0].Prediction);
        Assert.Null(report.Items[1].Prediction);
        Assert.Equal("I think C", report.Items[1].Output);
        Assert.All(model.GenerationRequests, r => Assert.Equal(5, r.MaxNewTokens));
        Assert.Equal(0, model.ScoreCalls);
    }

    [Fact]
    public async Task Choice_by_generation_needs_a_question_prompt()
    {
        var (model, items) = ThreeQuestions();
        await Assert.ThrowsAsync<ArgumentException>(() =>
            new BenchmarkEvaluator(model).EvaluateAsync("toy", items, new EvaluationOptions { MultipleChoiceScoring = ScoringMethod.Generation }));
    }

    [Fact]
    public async Task Numeric_generation_uses_the_last_number_and_cuts_at_stop_sequences()
    {
        List<EvaluationItem> items =
        [
            new GenerationItem("0", EvaluationPrompt.Raw("p0"), ["18"], AnswerMatching.NumericValue, ["Question:"]),
            new GenerationItem("1", EvaluationPrompt.Raw("p1"), ["3"], AnswerMatching.NumericValue, ["Question:"]),
            new GenerationItem("2", EvaluationPrompt.Raw("p2"), ["70000"], AnswerMatching.NumericValue, ["Question:"]),
        ];
        var model = new FakeEvaluationModel()
            .Generate("p0", "9 * 2 = 18. The answer is $18.00")       // last number 18.00 = 18 ✓
            .Generate("p1", "2 + 1 = 3\nQuestion: what is 5?")         // cut before "Question:" → last 3 ✓ (5 would be ✗)
            .Generate("p2", "The profit is 7,000");                   // 7000 ✗

        var report = await new BenchmarkEvaluator(model).EvaluateAsync("gsm8k", items, new EvaluationOptions { MaxNewTokens = 64 });

        Assert.Equal("numeric_match", report.Summary.PrimaryMetric);
        Assert.Equal(2.0 / 3, report.Summary.Accuracy, 12);
        Assert.Equal(["18.00", "3", "7000"], report.Items.Select(i => i.Prediction));
        Assert.Equal("2 + 1 = 3\n", report.Items[1].Output);
        Assert.Equal([64, 64, 64], model.GenerationRequests.Select(r => r.MaxNewTokens));
        Assert.Equal(["Question:"], model.GenerationRequests[0].StopSequences);
    }

    [Fact]
    public async Task Exact_match_accepts_any_reference()
    {
        List<EvaluationItem> items =
        [
            new GenerationItem("a", EvaluationPrompt.Chat("abc"), ["cba"], AnswerMatching.ExactText, []),
            new GenerationItem("b", EvaluationPrompt.Chat("hello"), ["olleh", "OLLEH!"], AnswerMatching.ExactText, []),
            new GenerationItem("c", EvaluationPrompt.Chat("xy"), ["yx"], AnswerMatching.ExactText, []),
            new GenerationItem("d", EvaluationPrompt.Chat("12"), ["21"], AnswerMatching.ExactText, []),
        ];
        var model = new FakeEvaluationModel()
            .Generate("abc", " CBA.")      // ✓
            .Generate("hello", "olleh!")   // ✓ second reference
            .Generate("xy", "y x")         // ✗
            .Generate("12", "21.0");       // ✓ by value

        var report = await new BenchmarkEvaluator(model).EvaluateAsync("tasks", items);

        Assert.Equal("exact_match", report.Summary.PrimaryMetric);
        Assert.Equal(0.75, report.Summary.Accuracy);
        Assert.Equal([true, true, false, true], report.Items.Select(i => i.Correct));
        Assert.Equal("cba", report.Items[0].Prediction);
        Assert.Equal("olleh | OLLEH!", report.Items[1].Gold);
    }

    [Fact]
    public async Task Wrong_score_count_is_reported()
    {
        var (model, items) = ThreeQuestions();
        model.ScoreCountOverride = 1;
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => new BenchmarkEvaluator(model).EvaluateAsync("toy", items));
        Assert.Contains("item '1'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Progress_is_reported_after_each_item()
    {
        var (model, items) = ThreeQuestions();
        var reports = new List<EvaluationProgress>();

        await new BenchmarkEvaluator(model).EvaluateAsync("toy", items, progress: new SynchronousProgress<EvaluationProgress>(reports.Add));

        Assert.Equal([new(1, 3, 1), new(2, 3, 1), new(3, 3, 2)], reports);
    }

    [Fact]
    public async Task Cancellation_stops_before_the_next_item()
    {
        var (model, items) = ThreeQuestions();
        using var cts = new CancellationTokenSource();
        var progress = new SynchronousProgress<EvaluationProgress>(_ => cts.Cancel());

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new BenchmarkEvaluator(model).EvaluateAsync("toy", items, progress: progress, cancellationToken: cts.Token));
        Assert.Equal(1, model.ScoreCalls);
    }

    [Fact]
    public async Task Invalid_options_are_rejected() =>
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            new BenchmarkEvaluator(new FakeEvaluationModel()).EvaluateAsync("toy", [], new EvaluationOptions { MaxNewTokens = 0 }));

    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
