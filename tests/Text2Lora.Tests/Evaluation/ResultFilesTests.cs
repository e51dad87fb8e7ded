using System.Text.Json;
using Text2Lora.Evaluation.Results;
using Text2Lora.Tests.Infrastructure;

namespace Text2Lora.Tests.Evaluation;

[Trait(TestCategory.Key, TestCategory.Behaviour)]
public sealed class ResultFilesTests
{
    private static readonly ItemResult[] Results =
    [
        new("q1", "A", "A", true, null, [new("A", -2.5, 2, 3), new("B", double.NegativeInfinity, 1, 5)],
            new Dictionary<string, bool> { ["acc"] = true, ["acc_norm"] = false }),
        new("q2", null, "18", false, "I don't know", null, new Dictionary<string, bool> { ["numeric_match"] = false }),
    ];

    [Fact]
    public void Items_are_written_one_json_object_per_line()
    {
        using var dir = new TempDirectory();
        var path = dir.File("out/results.jsonl");

        ResultFiles.WriteItems(path, Results);

        var lines = File.ReadAllLines(path);
        Assert.Equal(2, lines.Length);
        using var first = JsonDocument.Parse(lines[0]);
        var root = first.RootElement;
        Assert.Equal("q1", root.GetProperty("id").GetString());
        Assert.Equal("A", root.GetProperty("prediction").GetString());
        Assert.Equal("A", root.GetProperty("gold").GetString());
        Assert.True(root.GetProperty("correct").GetBoolean());
        Assert.False(root.TryGetProperty("output", out _));
        var scores = root.GetProperty("scores");
        Assert.Equal(-2.5, scores[0].GetProperty("loglikelihood").GetDouble());
        Assert.Equal(2, scores[0].GetProperty("tokens").GetInt32());
        Assert.Equal(3, scores[0].GetProperty("characters").GetInt32());
        Assert.Equal("-Infinity", scores[1].GetProperty("loglikelihood").GetString());
        Assert.True(root.GetProperty("metrics").GetProperty("acc").GetBoolean());
        Assert.False(root.GetProperty("metrics").GetProperty("acc_norm").GetBoolean());

        using var second = JsonDocument.Parse(lines[1]);
        Assert.Equal(JsonValueKind.Null, second.RootElement.GetProperty("prediction").ValueKind);
        Assert.Equal("I don't know", second.RootElement.GetProperty("output").GetString());
        Assert.False(second.RootElement.TryGetProperty("scores", out _));

        Assert.Equal(["results.jsonl"], Directory.GetFiles(dir.File("out")).Select(Path.GetFileName)); // no temp file left
    }

    [Fact]
    public void Summary_counts_and_averages_metrics()
    {
        var summary = EvaluationSummary.From("toy", Results, "acc");

        Assert.Equal(2, summary.ItemCount);
        Assert.Equal(1, summary.CorrectCount);
        Assert.Equal(0.5, summary.Accuracy);
        Assert.Equal(["acc", "acc_norm", "numeric_match"], summary.Metrics.Keys);
        Assert.Equal([1.0, 0.0, 0.0], summary.Metrics.Values);
    }

    [Fact]
    public void Summary_file_round_trips()
    {
        using var dir = new TempDirectory();
        var path = dir.File("summary.json");

        ResultFiles.WriteSummary(path, EvaluationSummary.From("toy", Results, "acc"));

        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        Assert.Equal("toy", doc.RootElement.GetProperty("benchmark").GetString());
        Assert.Equal(2, doc.RootElement.GetProperty("items").GetInt32());
        Assert.Equal(1, doc.RootElement.GetProperty("correct").GetInt32());
        Assert.Equal("acc", doc.RootElement.GetProperty("metric").GetString());
        Assert.Equal(0.5, doc.RootElement.GetProperty("accuracy").GetDouble());
        Assert.Equal(1.0, doc.RootElement.GetProperty("metrics").GetProperty("acc").GetDouble());
    }

    [Theory]
    [InlineData(2, 3, "accuracy: 0.667")]
    [InlineData(0, 4, "accuracy: 0.000")]
    [InlineData(4, 4, "accuracy: 1.000")]
    [InlineData(0, 0, "accuracy: 0.000")]
    public void Accuracy_line_has_three_decimals(int correct, int count, string expected) =>
        Assert.Equal(expected, ResultFiles.AccuracyLine(new EvaluationSummary("b", count, correct, "acc", new Dictionary<string, double>())));
}
