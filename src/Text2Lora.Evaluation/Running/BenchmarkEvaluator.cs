using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Text2Lora.Evaluation.Abstractions;
using Text2Lora.Evaluation.Items;
using Text2Lora.Evaluation.Results;
using Text2Lora.Evaluation.Scoring;
using Text2Lora.Tasks;

namespace Text2Lora.Evaluation.Running;

/// <summary>
/// Scores benchmark items with an <see cref="IEvaluationModel"/>: multiple-choice items by log-likelihood (accuracy under
/// the unnormalised sum, per-token and per-character normalisation, see <see cref="MultipleChoiceScoring"/>) or by
/// generation matched to labels; generation items by exact match or numeric answer. One item at a time, in order.
/// </summary>
public sealed partial class BenchmarkEvaluator
{
    private static readonly ChoiceNormalization[] Normalizations = [ChoiceNormalization.None, ChoiceNormalization.PerToken, ChoiceNormalization.PerCharacter];

    private readonly IEvaluationModel _model;
    private readonly ILogger _logger;

    /// <summary>Creates an evaluator over <paramref name="model"/>.</summary>
    public BenchmarkEvaluator(IEvaluationModel model, ILogger<BenchmarkEvaluator>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>Scores every item and summarises.</summary>
    /// <param name="benchmark">Name recorded in the summary.</param>
    /// <param name="items">The items, e.g. from <c>IBenchmark.Load</c>.</param>
    /// <param name="options">Run settings (null: defaults).</param>
    /// <param name="progress">Receives a report after each item.</param>
    /// <param name="cancellationToken">Checked between items.</param>
    /// <exception cref="ArgumentException">Generation scoring was asked for a multiple-choice item without a question prompt.</exception>
    /// <exception cref="InvalidOperationException">The model returned the wrong number of scores.</exception>
    public async Task<EvaluationReport> EvaluateAsync(
        string benchmark,
        IReadOnlyList<EvaluationItem> items,
        EvaluationOptions? options = null,
        IProgress<EvaluationProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(benchmark);
        ArgumentNullException.ThrowIfNull(items);
        options ??= new EvaluationOptions();
        options.Validate();
        LogStarting(benchmark, items.Count, options.MultipleChoiceScoring, options.Normalization);

        var results = new List<ItemResult>(items.Count);
        var correct = 0;
        foreach (var item in items)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var result = item switch
            {
                MultipleChoiceItem choice when options.MultipleChoiceScoring == ScoringMethod.LogLikelihood =>
                    await ScoreByLogLikelihoodAsync(choice, options.Normalization, cancellationToken).ConfigureAwait(false),
                MultipleChoiceItem choice => await ScoreChoiceByGenerationAsync(choice, options.MaxChoiceAnswerTokens, cancellationToken).ConfigureAwait(false),
                GenerationItem generation => await ScoreGenerationAsync(generation, options.MaxNewTokens, cancellationToken).ConfigureAwait(false),
                _ => throw new ArgumentException($"Unsupported item type {item.GetType().Name}.", nameof(items)),
            };
            results.Add(result);
            correct += result.Correct ? 1 : 0;
            progress?.Report(new EvaluationProgress(results.Count, items.Count, correct));
        }

        var summary = EvaluationSummary.From(benchmark, results, PrimaryMetric(items, options));
        LogFinished(benchmark, summary.ItemCount, summary.PrimaryMetric, summary.Accuracy);
        return new EvaluationReport(summary, results);
    }

    /// <summary>The name of the metric a run's accuracy reports, from the first item's kind.</summary>
    internal static string PrimaryMetric(IReadOnlyList<EvaluationItem> items, EvaluationOptions options) => items.FirstOrDefault() switch
    {
        MultipleChoiceItem when options.MultipleChoiceScoring == ScoringMethod.LogLikelihood => MultipleChoiceScoring.MetricName(options.Normalization),
        MultipleChoiceItem => "acc",
        GenerationItem { Matching: AnswerMatching.NumericValue or AnswerMatching.FirstInteger } => NumericMetric,
        GenerationItem => ExactMetric,
        _ => "acc",
    };

    private const string NumericMetric = "numeric_match";
    private const string ExactMetric = "exact_match";

    private async Task<ItemResult> ScoreByLogLikelihoodAsync(MultipleChoiceItem item, ChoiceNormalization primary, CancellationToken cancellationToken)
    {
        var requests = item.Options.Select(o => new ContinuationRequest(o.Context, o.Continuation)).ToList();
        var scores = await _model.ScoreContinuationsAsync(requests, cancellationToken).ConfigureAwait(false);
        if (scores is null || scores.Count != requests.Count)
        {
            throw new InvalidOperationException($"The model returned {scores?.Count ?? 0} scores for the {requests.Count} options of item '{item.Id}'.");
        }

        var metrics = new Dictionary<string, bool>(StringComparer.Ordinal);
        var predicted = -1;
        foreach (var normalization in Normalizations)
        {
            var index = MultipleChoiceScoring.Predict(scores, item.Options, normalization);
            metrics[MultipleChoiceScoring.MetricName(normalization)] = index == item.GoldIndex;
            if (normalization == primary)
            {
                predicted = index;
            }
        }

        var records = item.Options
            .Select((o, i) => new ChoiceScoreRecord(o.Label, scores[i].LogLikelihood, scores[i].TokenCount, o.CharacterCount))
            .ToList();
        return new ItemResult(
            item.Id,
            predicted < 0 ? null : item.Options[predicted].Label,
            item.Gold.Label,
            predicted == item.GoldIndex,
            null,
            records,
            metrics);
    }

    private async Task<ItemResult> ScoreChoiceByGenerationAsync(MultipleChoiceItem item, int maxTokens, CancellationToken cancellationToken)
    {
        var prompt = item.QuestionPrompt ?? throw new ArgumentException(
            $"Item '{item.Id}' has no question prompt listing its choices; score it by log-likelihood or load it with the T2L prompt format.");
        var output = await _model.GenerateAsync(new TextGenerationRequest(prompt, maxTokens, []), cancellationToken).ConfigureAwait(false);
        var index = ChoiceLabelMatcher.Match(output, item.Options.Select(o => o.Label).ToList());
        var correct = index == item.GoldIndex;
        return new ItemResult(
            item.Id,
            index < 0 ? null : item.Options[index].Label,
            item.Gold.Label,
            correct,
            output,
            null,
            new Dictionary<string, bool>(StringComparer.Ordinal) { ["acc"] = correct });
    }

    private async Task<ItemResult> ScoreGenerationAsync(GenerationItem item, int maxTokens, CancellationToken cancellationToken)
    {
        var raw = await _model.GenerateAsync(new TextGenerationRequest(item.Prompt, maxTokens, item.StopSequences), cancellationToken).ConfigureAwait(false);
        var output = CutAtStop(raw, item.StopSequences);
        bool correct;
        string? prediction;
        string metric;
        if (item.Matching is AnswerMatching.CaseSensitiveText or AnswerMatching.FirstInteger)
        {
            var scoring = item.Matching == AnswerMatching.FirstInteger ? TaskScoring.Numeric : TaskScoring.Exact;
            prediction = scoring == TaskScoring.Numeric ? TaskScoringRules.FirstInteger(output)?.ToString(CultureInfo.InvariantCulture) : output.Trim();
            correct = item.GoldAnswers.Any(gold => TaskScoringRules.IsCorrect(scoring, output, gold));
            metric = scoring == TaskScoring.Numeric ? NumericMetric : ExactMetric;
        }
        else if (item.Matching == AnswerMatching.NumericValue)
        {
            var number = NumericAnswer.ExtractLast(output);
            prediction = number?.ToString(CultureInfo.InvariantCulture);
            correct = item.GoldAnswers.Any(gold => NumericAnswer.Matches(output, gold));
            metric = NumericMetric;
        }
        else
        {
            prediction = AnswerText.Normalize(output);
            correct = item.GoldAnswers.Any(gold => AnswerText.Matches(output, gold));
            metric = ExactMetric;
        }

        return new ItemResult(
            item.Id,
            prediction,
            string.Join(" | ", item.GoldAnswers),
            correct,
            output,
            null,
            new Dictionary<string, bool>(StringComparer.Ordinal) { [metric] = correct });
    }

    /// <summary>The text before the earliest stop sequence (a model that already stopped there is unaffected).</summary>
    internal static string CutAtStop(string text, IReadOnlyList<string> stops)
    {
        var end = text.Length;
        foreach (var stop in stops)
        {
            var at = text.IndexOf(stop, StringComparison.Ordinal);
            if (at >= 0 && at < end)
            {
                end = at;
            }
        }

        return text[..end];
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Evaluating {Benchmark}: {Count} items, multiple choice by {Scoring}, primary normalisation {Normalization}")]
    private partial void LogStarting(string benchmark, int count, ScoringMethod scoring, ChoiceNormalization normalization);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Benchmark}: {Count} items, {Metric} = {Accuracy:0.000}")]
    private partial void LogFinished(string benchmark, int count, string metric, double accuracy);
}
