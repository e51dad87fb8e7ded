using System.CommandLine;
using System.Text.Json;
using Text2Lora.Cli.Commands;
using Text2Lora.Evaluation.Abstractions;
using Text2Lora.Evaluation.Models;
using Text2Lora.Tests.Infrastructure;

namespace Text2Lora.Tests.Evaluation;

/// <summary><c>t2l eval</c> end to end with a hand-set model in place of the base-model factory.</summary>
[Trait(TestCategory.Key, TestCategory.Behaviour)]
public sealed class EvalCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly List<EvalModelSource> _created = [];
    private readonly FakeEvaluationModel _model = new()
    {
        // Always prefers "true" (−1) over "false" (−2); always answers 18.
        ScoreRule = r => new ContinuationScore(r.Continuation == "true" ? -1 : -2, 1),
        GenerateRule = _ => "Adding up, the answer is 18",
    };

    public EvalCommandTests() => Directory.CreateDirectory(ModelDir);

    public void Dispose() => _dir.Dispose();

    private string ModelDir => _dir.File("model");

    private static string Sample(string name) => FixturePaths.Get("bench-samples", name + ".jsonl");

    private async Task<(int ExitCode, string[] Lines)> Run(params string[] args)
    {
        var command = EvalCommand.Create((source, _) =>
        {
            _created.Add(source);
            return Task.FromResult<IEvaluationModel>(_model);
        });
        var root = new RootCommand { command };
        using var output = new StringWriter();
        var exit = await root.Parse(["eval", .. args]).InvokeAsync(new InvocationConfiguration { Output = output, Error = TextWriter.Null });
        return (exit, output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task BoolQ_prints_accuracy_last_and_writes_results()
    {
        // First three BoolQ answers are false, true, true; the model always says true → 2/3.
        var results = _dir.File("out/boolq.jsonl");
        var (exit, lines) = await Run("--model", ModelDir, "--benchmark", "boolq", "--data", Sample("boolq"), "--limit", "3", "--output", results);

        Assert.Equal(0, exit);
        Assert.Equal("accuracy: 0.667", lines[^1]);
        Assert.Contains("acc: 0.667", lines);
        Assert.Equal(new EvalModelSource(ModelDir, null, null, null), Assert.Single(_created) with { Load = null });

        var items = File.ReadAllLines(results).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(["0", "1", "2"], items.Select(i => i.GetProperty("id").GetString()));
        Assert.Equal(["true", "true", "true"], items.Select(i => i.GetProperty("prediction").GetString()));
        Assert.Equal(["false", "true", "true"], items.Select(i => i.GetProperty("gold").GetString()));
        Assert.Equal([false, true, true], items.Select(i => i.GetProperty("correct").GetBoolean()));

        using var summary = JsonDocument.Parse(File.ReadAllText(_dir.File("out/boolq.summary.json")));
        Assert.Equal(3, summary.RootElement.GetProperty("items").GetInt32());
        Assert.Equal(2, summary.RootElement.GetProperty("correct").GetInt32());
    }

    [Fact]
    public async Task Gsm8k_by_generation_with_a_hypernetwork_description()
    {
        // Golds 18, 3, 70000; the model always ends with 18 → 1/3.
        var hyper = Directory.CreateDirectory(_dir.File("hyper")).FullName;
        var (exit, lines) = await Run(
            "--model", ModelDir, "--hypernetwork", hyper, "--description", "Solve grade-school math word problems.",
            "--benchmark", "gsm8k", "--data", Sample("gsm8k"), "--limit", "3", "--output", _dir.File("gsm8k.jsonl"), "--max-new-tokens", "32");

        Assert.Equal(0, exit);
        Assert.Equal("accuracy: 0.333", lines[^1]);
        var created = Assert.Single(_created);
        Assert.Equal(new EvalModelSource(ModelDir, null, hyper, "Solve grade-school math word problems."), created with { Load = null });
        // No --device/--dtype: the defaults, float32 on the CPU.
        Assert.Equal(TorchSharp.DeviceType.CPU, created.Load!.Device!.type);
        Assert.Equal(TorchSharp.torch.ScalarType.Float32, created.Load.DType);
        Assert.All(_model.GenerationRequests, r => Assert.Equal(32, r.MaxNewTokens));
        Assert.Equal(3, File.ReadAllLines(_dir.File("gsm8k.jsonl")).Length);
    }

    [Fact]
    public async Task Task_folder_is_evaluated_by_exact_match()
    {
        var task = Directory.CreateDirectory(_dir.File("task")).FullName;
        File.WriteAllText(Path.Combine(task, "test.jsonl"), "{\"input\": \"9 + 9\", \"output\": \"18\"}\n{\"input\": \"1 + 1\", \"output\": \"2\"}\n");
        _model.Generate("9 + 9", "18").Generate("1 + 1", "3");

        var (exit, lines) = await Run("--model", ModelDir, "--benchmark", "tasks", "--data", task, "--output", _dir.File("t.jsonl"));

        Assert.Equal(0, exit);
        Assert.Equal("accuracy: 0.500", lines[^1]);
    }

    [Theory]
    [InlineData("--adapter", "x", "--hypernetwork", "y", "--description", "d")]
    [InlineData("--hypernetwork", "x")]
    [InlineData("--description", "only")]
    [InlineData("--limit", "0")]
    [InlineData("--prompt-format", "harness", "--scoring", "generation")]
    [InlineData("--normalization", "bytes")]
    public async Task Usage_errors_exit_before_loading_the_model(params string[] extra)
    {
        Directory.CreateDirectory(_dir.File("x"));
        Directory.CreateDirectory(_dir.File("y"));
        var args = new List<string> { "--model", ModelDir, "--benchmark", "boolq", "--data", Sample("boolq") };
        args.AddRange(extra.Select(a => a is "x" or "y" ? _dir.File(a) : a));

        var (exit, _) = await Run([.. args]);

        Assert.NotEqual(0, exit);
        Assert.Empty(_created);
    }

    [Fact]
    public async Task Unknown_benchmark_is_a_usage_error()
    {
        var (exit, _) = await Run("--model", ModelDir, "--benchmark", "mmlu", "--data", Sample("boolq"));
        Assert.Equal(2, exit);
        Assert.Empty(_created);
    }

    [Fact]
    public async Task Missing_model_folder_is_an_input_error()
    {
        var (exit, _) = await Run("--model", _dir.File("absent"), "--benchmark", "boolq", "--data", Sample("boolq"));
        Assert.Equal(3, exit);
    }

    [Fact]
    public async Task Malformed_data_is_an_input_error_reported_before_the_model_loads()
    {
        var data = _dir.File("bad.jsonl");
        File.WriteAllText(data, "{\"idx\": 0, \"question\": \"q\"}\n");

        var (exit, _) = await Run("--model", ModelDir, "--benchmark", "boolq", "--data", data);

        Assert.Equal(3, exit);
        Assert.Empty(_created);
    }

    [Fact]
    public void Summary_path_sits_next_to_the_results() =>
        Assert.Equal(Path.Combine("out", "r.summary.json"), EvalCommand.SummaryPath(Path.Combine("out", "r.jsonl")));
}
