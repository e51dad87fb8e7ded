using System.CommandLine;
using Text2Lora.IO.Hub;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Text2Lora.Evaluation.Abstractions;
using Text2Lora.Evaluation.Benchmarks;
using Text2Lora.Evaluation.Models;
using Text2Lora.Evaluation.Results;
using Text2Lora.Evaluation.Running;
using Text2Lora.Evaluation.Scoring;

namespace Text2Lora.Cli.Commands;

/// <summary>
/// <c>t2l eval --model DIR [--adapter DIR | --hypernetwork DIR --description TEXT] --benchmark NAME --data PATH [--limit N] [--output FILE]</c>:
/// scores a benchmark, writes per-item results (JSONL) and a summary (JSON) and prints the metrics, the last line being
/// exactly <c>accuracy: 0.xxx</c>. Building the model is the one thing this command does not do itself: it is handed a
/// factory (<see cref="Create"/>), so everything else is independent of how base models, adapters and hypernetworks load.
/// </summary>
internal static class EvalCommand
{
    /// <summary>Creates the command; <paramref name="createModel"/> builds the evaluated model from the parsed source.</summary>
    public static Command Create(Func<EvalModelSource, CancellationToken, Task<IEvaluationModel>> createModel)
    {
        ArgumentNullException.ThrowIfNull(createModel);
        var model = new Option<string>("--model") { Description = "Base model folder (Hugging Face format) or hub reference org/name[@revision][:subfolder].", Required = true };
        var adapter = new Option<string?>("--adapter") { Description = "PEFT LoRA adapter folder (or hub reference) to apply." };
        var hypernetwork = new Option<string?>("--hypernetwork") { Description = "T2L hypernetwork folder (or hub reference); generates the adapter from --description." };
        var description = new Option<string?>("--description") { Description = "Task description for --hypernetwork." };
        var encoder = new Option<string?>("--encoder") { Description = "Description encoder folder or id, overriding the one the hypernetwork checkpoint names." };
        var benchmark = new Option<string>("--benchmark") { Description = $"Benchmark: {string.Join(", ", BenchmarkCatalog.Names)}.", Required = true };
        var data = new Option<string>("--data") { Description = "Benchmark JSONL file, or a task folder (test.jsonl + optional metadata.yaml) for 'tasks'.", Required = true };
        var limit = new Option<int?>("--limit") { Description = "Evaluate only the first N items." };
        var output = new Option<FileInfo?>("--output") { Description = "Per-item results (JSONL); the summary goes next to it as .summary.json. Default: <benchmark>-results.jsonl." };
        var format = new LowerCaseEnumOption<BenchmarkPromptFormat>("--prompt-format", "t2l (the T2L reference's chat templates) or harness (lm-evaluation-harness cloze prompts).", BenchmarkPromptFormat.T2l);
        var scoring = new LowerCaseEnumOption<ScoringMethod>("--scoring", "Multiple choice by loglikelihood or by generation (T2L format only).", ScoringMethod.LogLikelihood);
        var normalization = new Option<string>("--normalization") { Description = "Primary log-likelihood metric: none (acc), token (acc_per_token) or char (acc_norm).", DefaultValueFactory = _ => "none" };
        normalization.AcceptOnlyFromAmong("none", "token", "char");
        var maxNewTokens = new Option<int>("--max-new-tokens") { Description = "Token limit for free generation (GSM8K, tasks).", DefaultValueFactory = _ => new EvaluationOptions().MaxNewTokens };
        var json = new Option<bool>("--json") { Description = "Print one JSON object on stdout (benchmark, items, prompt format, metrics, accuracy, result files) instead of the text lines." };

        var command = new Command("eval", "Evaluate a model (optionally with an adapter or a T2L-generated adapter) on a benchmark.")
        {
            model, adapter, hypernetwork, description, encoder, benchmark, data, limit, output, format.Option, scoring.Option, normalization, maxNewTokens, json,
        };
        var compute = ComputeOptions.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
        {
            var writer = parse.InvocationConfiguration.Output;
            return CliErrors.RunAsync(async () =>
            {
                var settings = compute.Read(parse);
                var request = new EvalRequest(
                    new EvalModelSource(
                        ModelFolders.Resolve(parse.GetValue(model)!, ModelFileKind.BaseModel, cancellationToken),
                        ModelFolders.ResolveOptional(parse.GetValue(adapter), ModelFileKind.Adapter, cancellationToken),
                        ModelFolders.ResolveOptional(parse.GetValue(hypernetwork), ModelFileKind.Hypernetwork, cancellationToken),
                        parse.GetValue(description),
                        parse.GetValue(encoder),
                        settings.LoadOptions),
                    parse.GetValue(benchmark)!,
                    parse.GetValue(data)!,
                    parse.GetValue(limit),
                    parse.GetValue(output)?.FullName,
                    format.Read(parse),
                    new EvaluationOptions
                    {
                        MultipleChoiceScoring = scoring.Read(parse),
                        Normalization = ParseNormalization(parse.GetValue(normalization)!),
                        MaxNewTokens = parse.GetValue(maxNewTokens),
                    },
                    parse.GetValue(json));
                await RunAsync(request, createModel, writer, cancellationToken).ConfigureAwait(false);
            });
        });
        return command;
    }

    /// <summary>Everything one <c>t2l eval</c> run needs, after parsing.</summary>
    internal sealed record EvalRequest(EvalModelSource Model, string Benchmark, string DataPath, int? Limit, string? OutputPath, BenchmarkPromptFormat Format, EvaluationOptions Options, bool Json = false);

    /// <summary>Validates, loads the items, builds the model, evaluates, writes the files and prints the metrics.</summary>
    internal static async Task<EvaluationSummary> RunAsync(
        EvalRequest request,
        Func<EvalModelSource, CancellationToken, Task<IEvaluationModel>> createModel,
        TextWriter writer,
        CancellationToken cancellationToken)
    {
        Validate(request);
        var benchmark = BenchmarkCatalog.Get(request.Benchmark);
        if (benchmark.IsMultipleChoice && request.Options.MultipleChoiceScoring == ScoringMethod.Generation && request.Format != BenchmarkPromptFormat.T2l)
        {
            throw new CliUsageException("--scoring generation needs --prompt-format t2l: harness prompts do not list the choices.");
        }

        // Items first: a malformed data file is reported before the (slow) model load.
        var items = benchmark.Load(request.DataPath, request.Format, request.Limit);
        var outputPath = request.OutputPath ?? Path.GetFullPath($"{benchmark.Name}-results.jsonl");
        var model = await createModel(request.Model, cancellationToken).ConfigureAwait(false);
        try
        {
            var report = await new BenchmarkEvaluator(model).EvaluateAsync(benchmark.Name, items, request.Options, new EvalProgressLines(Console.Error), cancellationToken).ConfigureAwait(false);
            ResultFiles.WriteItems(outputPath, report.Items);
            ResultFiles.WriteSummary(SummaryPath(outputPath), report.Summary);

            if (request.Json)
            {
                await writer.WriteLineAsync(SummaryAsJson(report.Summary, request.Format, outputPath).ToJsonString(new JsonSerializerOptions { WriteIndented = true })).ConfigureAwait(false);
                return report.Summary;
            }

            await writer.WriteLineAsync($"benchmark: {benchmark.Name} ({report.Summary.ItemCount} items, {LowerCaseEnumOption<BenchmarkPromptFormat>.NameOf(request.Format)} prompts)").ConfigureAwait(false);
            foreach (var (name, value) in report.Summary.Metrics)
            {
                await writer.WriteLineAsync($"{name}: {value.ToString("0.000", CultureInfo.InvariantCulture)}").ConfigureAwait(false);
            }

            await writer.WriteLineAsync($"results: {outputPath}").ConfigureAwait(false);
            await writer.WriteLineAsync(ResultFiles.AccuracyLine(report.Summary)).ConfigureAwait(false);
            return report.Summary;
        }
        finally
        {
            (model as IDisposable)?.Dispose();
        }
    }

    /// <summary>The <c>--json</c> view of a run: what the text lines say, as one object.</summary>
    internal static JsonObject SummaryAsJson(EvaluationSummary summary, BenchmarkPromptFormat format, string outputPath) => new()
    {
        ["benchmark"] = summary.Benchmark,
        ["items"] = summary.ItemCount,
        ["correct"] = summary.CorrectCount,
        ["prompt_format"] = LowerCaseEnumOption<BenchmarkPromptFormat>.NameOf(format),
        ["primary_metric"] = summary.PrimaryMetric,
        ["accuracy"] = summary.Accuracy,
        ["metrics"] = new JsonObject(summary.Metrics.Select(m => KeyValuePair.Create(m.Key, (JsonNode?)m.Value))),
        ["results"] = outputPath,
        ["summary"] = SummaryPath(outputPath),
    };

    /// <summary>The summary file written next to the per-item results: <c>x.jsonl</c> → <c>x.summary.json</c>.</summary>
    internal static string SummaryPath(string resultsPath) => Path.ChangeExtension(resultsPath, ".summary.json");

    private static void Validate(EvalRequest request)
    {
        var source = request.Model;
        if (source.AdapterDirectory is not null && source.HypernetworkDirectory is not null)
        {
            throw new CliUsageException("Give either --adapter or --hypernetwork, not both.");
        }

        if (source.HypernetworkDirectory is not null && string.IsNullOrWhiteSpace(source.Description))
        {
            throw new CliUsageException("--hypernetwork needs --description TEXT (the task description to generate the adapter from).");
        }

        if (source.HypernetworkDirectory is null && source.Description is not null)
        {
            throw new CliUsageException("--description is only used with --hypernetwork.");
        }

        if (request.Limit is < 1)
        {
            throw new CliUsageException($"--limit must be at least 1 (got {request.Limit}).");
        }

        foreach (var (option, path) in new[] { ("--model", source.ModelDirectory), ("--adapter", source.AdapterDirectory), ("--hypernetwork", source.HypernetworkDirectory) })
        {
            if (path is not null && !Directory.Exists(path))
            {
                throw new DirectoryNotFoundException($"{option} folder '{path}' does not exist.");
            }
        }
    }

    private static ChoiceNormalization ParseNormalization(string value) => value switch
    {
        "none" => ChoiceNormalization.None,
        "token" => ChoiceNormalization.PerToken,
        "char" => ChoiceNormalization.PerCharacter,
        _ => throw new CliUsageException($"--normalization must be none, token or char (got '{value}')."),
    };
}
