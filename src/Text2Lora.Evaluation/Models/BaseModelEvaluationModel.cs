using Text2Lora.TextGeneration;
using Text2Lora.Abstractions;
using Text2Lora.Evaluation.Abstractions;
using Text2Lora.Lora;
using Text2Lora.Tokenization;
using Text2Lora.Tokenization.ChatTemplates;
using static TorchSharp.torch;

namespace Text2Lora.Evaluation.Models;

/// <summary>
/// <see cref="IEvaluationModel"/> over a core base model, its tokenizer and chat template, with an optional LoRA
/// adapter applied at runtime. Log-likelihoods follow lm-evaluation-harness: trailing whitespace of the context moves
/// to the continuation, context and context + continuation are tokenized separately and the continuation's tokens are
/// those after the context's; requests run in left-padded batches of one forward pass each (inputs longer than the
/// model's <c>max_position_embeddings</c> keep their last tokens, as the harness truncates), and each continuation
/// token's log-softmax probability is summed. Generation is greedy through <see cref="TextGenerator"/> (text stop
/// sequences, special tokens removed). Prompts: <see cref="PromptStyle.Raw"/> verbatim with the tokenizer's special
/// tokens; <see cref="PromptStyle.Chat"/> through <see cref="ChatPrompt"/> (the chat template, or plain text when the
/// model has none).
/// </summary>
public sealed class BaseModelEvaluationModel : IEvaluationModel, IDisposable
{
    /// <summary>Default number of requests per forward pass when scoring.</summary>
    public const int DefaultBatchSize = 8;

    private readonly TextGenerator _generator;
    private readonly ChatTemplate? _template;
    private readonly ActiveAdapters? _adapter;
    private readonly IDisposable[] _owned;
    private readonly int _batchSize;

    /// <summary>Evaluates <paramref name="model"/> (with <paramref name="adapter"/> when given); the caller keeps ownership of both.</summary>
    /// <param name="model">The base model.</param>
    /// <param name="tokenizer">Its tokenizer.</param>
    /// <param name="chatTemplate">Its chat template, or null for a plain base model.</param>
    /// <param name="adapter">A LoRA adapter to apply to every call, or null.</param>
    /// <param name="batchSize">Requests per forward pass when scoring (≥ 1).</param>
    /// <exception cref="ArgumentException">The adapter does not fit the model.</exception>
    public BaseModelEvaluationModel(IBaseModel model, ITextTokenizer tokenizer, ChatTemplate? chatTemplate, LoraAdapter? adapter = null, int batchSize = DefaultBatchSize)
        : this(model, tokenizer, chatTemplate, adapter, batchSize, owned: [])
    {
    }

    /// <summary>As the public constructor, and disposes <paramref name="owned"/> with this instance.</summary>
    internal BaseModelEvaluationModel(IBaseModel model, ITextTokenizer tokenizer, ChatTemplate? chatTemplate, LoraAdapter? adapter, int batchSize, IDisposable[] owned)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        _generator = new TextGenerator(model, tokenizer);
        _template = chatTemplate;
        _adapter = adapter is null ? null : model.PrepareAdapter(adapter);
        _batchSize = batchSize;
        _owned = owned;
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">A continuation adds no tokens to its context.</exception>
    public Task<IReadOnlyList<ContinuationScore>> ScoreContinuationsAsync(IReadOnlyList<ContinuationRequest> requests, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var encoded = requests.Select((r, i) => EncodePair(r, i)).ToList();
        return Task.Run(() => Score(encoded, cancellationToken), cancellationToken);
    }

    /// <inheritdoc />
    public Task<string> GenerateAsync(TextGenerationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var prompt = Encode(Render(request.Prompt), request.Prompt.Style);
        var options = new GenerationOptions { MaxNewTokens = request.MaxNewTokens };
        return Task.Run(() => _generator.Generate(prompt, options, request.StopSequences, _adapter, onTextDelta: null, cancellationToken).Text, cancellationToken);
    }

    /// <summary>Disposes the prepared adapter and whatever this instance was given to own.</summary>
    public void Dispose()
    {
        _adapter?.Dispose();
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }
    }

    /// <summary>
    /// The model input (all tokens but the last of context + continuation) and the continuation's tokens, which are the
    /// last <c>Continuation.Count</c> tokens of context + continuation.
    /// </summary>
    private sealed record EncodedPair(IReadOnlyList<int> Input, IReadOnlyList<int> Continuation);

    private EncodedPair EncodePair(ContinuationRequest request, int index)
    {
        ArgumentNullException.ThrowIfNull(request);
        var context = Render(request.Context);
        var continuation = request.Continuation;
        var trailing = context.Length - context.TrimEnd().Length;
        if (trailing > 0)
        {
            continuation = context[^trailing..] + continuation;
            context = context[..^trailing];
        }

        var contextIds = Encode(context, request.Context.Style);
        var whole = Encode(context + continuation, request.Context.Style);
        if (whole.Count <= contextIds.Count)
        {
            throw new ArgumentException($"Request {index}: the continuation '{request.Continuation}' adds no tokens to its context.", nameof(request));
        }

        var continuationIds = whole.Skip(contextIds.Count).ToArray();
        var maxLength = _generator.Model.Info.MaxPositionEmbeddings;
        var input = whole.Take(whole.Count - 1).TakeLast(maxLength).ToArray();
        if (continuationIds.Length > input.Length)
        {
            throw new ArgumentException($"Request {index}: the continuation takes {continuationIds.Length} tokens, more than the model's {maxLength} positions.", nameof(request));
        }

        return new EncodedPair(input, continuationIds);
    }

    /// <summary>Scores encoded requests on the calling thread, <see cref="_batchSize"/> per forward pass.</summary>
    private IReadOnlyList<ContinuationScore> Score(IReadOnlyList<EncodedPair> encoded, CancellationToken cancellationToken)
    {
        var scores = new List<ContinuationScore>(encoded.Count);
        foreach (var batch in encoded.Chunk(_batchSize))
        {
            cancellationToken.ThrowIfCancellationRequested();
            scores.AddRange(ScoreBatch(batch));
        }

        return scores;
    }

    /// <summary>Synchronous <see cref="ScoreContinuationsAsync"/> (tests count the calling thread's live tensors).</summary>
    internal IReadOnlyList<ContinuationScore> ScoreContinuations(IReadOnlyList<ContinuationRequest> requests, CancellationToken cancellationToken = default) =>
        Score([.. requests.Select((r, i) => EncodePair(r, i))], cancellationToken);

    private IEnumerable<ContinuationScore> ScoreBatch(EncodedPair[] batch)
    {
        var n = batch.Length;
        var longest = batch.Max(p => p.Input.Count);
        var pad = PaddingToken.IdFor(_generator.Model.Info, _generator.Tokenizer);
        var ids = new long[n * longest];
        var mask = new long[n * longest];
        for (var row = 0; row < n; row++)
        {
            var input = batch[row].Input;
            var offset = longest - input.Count;
            for (var i = 0; i < longest; i++)
            {
                ids[(row * longest) + i] = i < offset ? pad : input[i - offset];
                mask[(row * longest) + i] = i < offset ? 0 : 1;
            }
        }

        var device = _generator.Model.Device;
        var scores = new ContinuationScore[n];
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var output = _generator.Model.Forward(new ModelForwardInput(tensor(ids, [n, longest], ScalarType.Int64, device))
        {
            AttentionMask = tensor(mask, [n, longest], ScalarType.Int64, device),
            Adapters = _adapter,
        });
        for (var row = 0; row < n; row++)
        {
            // Left padding: every row ends at the last position; its last c positions predict the c continuation tokens.
            var continuation = batch[row].Continuation;
            var c = continuation.Count;
            var logProbs = output.Logits![row].narrow(0, longest - c, c).to_type(ScalarType.Float64).log_softmax(-1);
            var targets = tensor(continuation.Select(t => (long)t).ToArray(), [c, 1], ScalarType.Int64, device);
            scores[row] = new ContinuationScore(logProbs.gather(1, targets).sum().item<double>(), c);
        }

        return scores;
    }

    private string Render(EvaluationPrompt prompt) => prompt.Style == PromptStyle.Raw
        ? prompt.Text
        : ChatPrompt.Render(
            _template,
            [.. prompt.SystemMessage.Length > 0 ? [ChatTurn.System(prompt.SystemMessage)] : Array.Empty<ChatTurn>(), ChatTurn.User(prompt.Text)],
            prompt.AssistantPrefill);

    private IReadOnlyList<int> Encode(string text, PromptStyle style) =>
        style == PromptStyle.Raw ? _generator.Tokenizer.Encode(text, addSpecialTokens: true) : ChatPrompt.Encode(_generator.Tokenizer, _template, text);
}
