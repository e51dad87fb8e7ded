using Text2Lora.Evaluation.Benchmarks;
using Text2Lora.Tests.Infrastructure;

namespace Text2Lora.Tests.Evaluation;

/// <summary>Malformed benchmark lines fail with the file, the line number and the field.</summary>
[Trait(TestCategory.Key, TestCategory.InputErrors)]
public sealed class BenchmarkFormatErrorTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private BenchmarkFormatException LoadFails(string benchmark, string secondLine, BenchmarkPromptFormat format = BenchmarkPromptFormat.T2l)
    {
        var path = _dir.File(benchmark + ".jsonl");
        var good = File.ReadLines(FixturePaths.Get("bench-samples", benchmark + ".jsonl")).First();
        File.WriteAllText(path, good + "\n\n" + secondLine + "\n");
        var ex = Assert.Throws<BenchmarkFormatException>(() => BenchmarkCatalog.Get(benchmark).Load(path, format));
        Assert.Equal(path, ex.FilePath);
        Assert.Equal(3, ex.LineNumber); // the blank line 2 still counts
        Assert.StartsWith(path + ", line 3", ex.Message, StringComparison.Ordinal);
        return ex;
    }

    [Fact]
    public void Invalid_json_names_the_line()
    {
        var ex = LoadFails("piqa", """{"idx": 1, "goal": "x",""");
        Assert.Null(ex.Field);
        Assert.Contains("not valid JSON", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_json_array_line_is_rejected() =>
        Assert.Contains("expected a JSON object", LoadFails("piqa", "[1, 2]").Message, StringComparison.Ordinal);

    [Fact]
    public void Missing_field_is_named()
    {
        var ex = LoadFails("piqa", """{"idx": 1, "goal": "g", "sol1": "a", "label": 0}""");
        Assert.Equal("sol2", ex.Field);
        Assert.Contains("field 'sol2': is missing", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Wrong_type_is_described()
    {
        var ex = LoadFails("piqa", """{"idx": 1, "goal": "g", "sol1": "a", "sol2": "b", "label": "1"}""");
        Assert.Equal("label", ex.Field);
        Assert.Contains("expected an integer, found the string \"1\"", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Out_of_range_label_is_rejected() =>
        Assert.Equal("label", LoadFails("piqa", """{"idx": 1, "goal": "g", "sol1": "a", "sol2": "b", "label": 2}""").Field);

    [Fact]
    public void Answer_key_outside_the_labels_is_rejected()
    {
        var ex = LoadFails("arc_easy", """{"id": "x", "question": "q", "choices": {"text": ["a", "b"], "label": ["A", "B"]}, "answerKey": "E"}""");
        Assert.Equal("answerKey", ex.Field);
        Assert.Contains("'E' is not one of the labels [A, B]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Choice_texts_and_labels_must_pair_up() =>
        Assert.Equal("choices", LoadFails("openbookqa", """{"id": "x", "question_stem": "q", "choices": {"text": ["a", "b", "c"], "label": ["A", "B"]}, "answerKey": "A"}""").Field);

    [Fact]
    public void Non_string_choice_is_named_with_its_index() =>
        Assert.Equal("choices.text[1]", LoadFails("arc_easy", """{"id": "x", "question": "q", "choices": {"text": ["a", 3], "label": ["A", "B"]}, "answerKey": "A"}""").Field);

    [Fact]
    public void Gsm8k_answer_without_marker_is_rejected()
    {
        var ex = LoadFails("gsm8k", """{"question": "q", "answer": "It is 5."}""");
        Assert.Equal("answer", ex.Field);
        Assert.Contains("no number after '####'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HellaSwag_needs_four_endings_and_a_valid_label()
    {
        Assert.Equal("endings", LoadFails("hellaswag", """{"idx": 1, "activity_label": "a", "ctx": "c", "endings": ["x", "y"], "label": "0"}""").Field);
        Assert.Equal("label", LoadFails("hellaswag", """{"idx": 1, "activity_label": "a", "ctx": "c", "endings": ["w", "x", "y", "z"], "label": "4"}""").Field);
    }

    [Fact]
    public void WinoGrande_harness_needs_a_blank()
    {
        var ex = LoadFails("winogrande", """{"idx": 1, "sentence": "No blank here.", "option1": "a", "option2": "b", "answer": "1"}""", BenchmarkPromptFormat.Harness);
        Assert.Equal("sentence", ex.Field);
    }

    [Fact]
    public void BoolQ_answer_must_be_boolean() =>
        Assert.Equal("answer", LoadFails("boolq", """{"idx": 1, "question": "q", "passage": "p", "answer": "true"}""").Field);

    [Fact]
    public void Missing_file_is_a_file_not_found_error() =>
        Assert.Throws<FileNotFoundException>(() => BenchmarkCatalog.Get("boolq").Load(_dir.File("absent.jsonl"), BenchmarkPromptFormat.T2l));
}
