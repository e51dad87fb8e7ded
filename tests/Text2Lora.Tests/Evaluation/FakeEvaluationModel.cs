using Text2Lora.Evaluation.Abstractions;

namespace Text2Lora.Tests.Evaluation;

/// <summary>A model whose log-likelihoods and generations are set by hand; records what it was asked.</summary>
internal sealed class FakeEvaluationModel : IEvaluationModel
{
    private readonly Dictionary<(string Context, string Continuation), ContinuationScore> _scores = [];
    private readonly Dictionary<string, string> _generations = new(StringComparer.Ordinal);

    public List<TextGenerationRequest> GenerationRequests { get; } = [];

    public int ScoreCalls { get; private set; }

    /// <summary>Used for requests without a hand-set score.</summary>
    public Func<ContinuationRequest, ContinuationScore>? ScoreRule { get; set; }

    /// <summary>Used for prompts without a hand-set generation.</summary>
    public Func<TextGenerationRequest, string>? GenerateRule { get; set; }

    /// <summary>Returns this many scores per call instead of one per request (to test the count check).</summary>
    public int? ScoreCountOverride { get; set; }

    public FakeEvaluationModel Score(string context, string continuation, double logLikelihood, int tokens)
    {
        _scores[(context, continuation)] = new ContinuationScore(logLikelihood, tokens);
        return this;
    }

    public FakeEvaluationModel Generate(string prompt, string output)
    {
        _generations[prompt] = output;
        return this;
    }

    public Task<IReadOnlyList<ContinuationScore>> ScoreContinuationsAsync(IReadOnlyList<ContinuationRequest> requests, CancellationToken cancellationToken = default)
    {
        ScoreCalls++;
        var scores = requests.Select(r => _scores.TryGetValue((r.Context.Text, r.Continuation), out var s) ? s : ScoreRule!(r)).ToList();
        if (ScoreCountOverride is { } count)
        {
            scores = scores.Take(count).ToList();
        }

        return Task.FromResult<IReadOnlyList<ContinuationScore>>(scores);
    }

    public Task<string> GenerateAsync(TextGenerationRequest request, CancellationToken cancellationToken = default)
    {
        GenerationRequests.Add(request);
        return Task.FromResult(_generations.TryGetValue(request.Prompt.Text, out var text) ? text : GenerateRule!(request));
    }
}
