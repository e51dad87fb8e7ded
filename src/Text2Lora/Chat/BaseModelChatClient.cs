using Text2Lora.TextGeneration;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.AI;
using Text2Lora.Abstractions;
using Text2Lora.Lora;
using Text2Lora.Models.Llama;
using Text2Lora.Tokenization;
using Text2Lora.Tokenization.ChatTemplates;

namespace Text2Lora.Chat;

/// <summary>
/// A Microsoft.Extensions.AI <see cref="IChatClient"/> over a base model, its tokenizer and chat template, with an
/// optional LoRA adapter that can be swapped between calls without reloading anything (it is applied at runtime).
/// The conversation goes through the chat template with the generation prompt; a model without one (a plain base
/// model) is prompted with the messages' text as is (see <see cref="ChatPrompt"/>). Decoding is greedy unless
/// <see cref="ChatOptions.Temperature"/> is above 0; <see cref="ChatOptions.MaxOutputTokens"/>, <see cref="ChatOptions.TopP"/>,
/// <see cref="ChatOptions.TopK"/>, <see cref="ChatOptions.Seed"/> and <see cref="ChatOptions.StopSequences"/> are honoured;
/// tools and response formats are not supported and ignored. Safe to call from several threads.
/// </summary>
public sealed class BaseModelChatClient : IChatClient
{
    private readonly TextGenerator _generator;
    private readonly ChatTemplate? _template;
    private readonly ChatClientMetadata _metadata;
    private readonly IDisposable? _owned;

    /// <summary>Creates the client; the caller keeps ownership of <paramref name="model"/>.</summary>
    /// <param name="model">The base model.</param>
    /// <param name="tokenizer">Its tokenizer.</param>
    /// <param name="chatTemplate">Its chat template; null for a plain base model (messages are used as plain text).</param>
    /// <param name="modelId">The id reported in responses (default: the config's <c>model_type</c>).</param>
    public BaseModelChatClient(IBaseModel model, ITextTokenizer tokenizer, ChatTemplate? chatTemplate, string? modelId = null)
        : this(model, tokenizer, chatTemplate, modelId, owned: null)
    {
    }

    private BaseModelChatClient(IBaseModel model, ITextTokenizer tokenizer, ChatTemplate? chatTemplate, string? modelId, IDisposable? owned)
    {
        _generator = new TextGenerator(model, tokenizer);
        _template = chatTemplate;
        _owned = owned;
        _metadata = new ChatClientMetadata(nameof(Text2Lora), providerUri: null, modelId ?? model.Info.ModelType);
    }

    /// <summary>
    /// Loads the model, tokenizer and chat template of a Hugging Face model folder; the client owns the model.
    /// </summary>
    /// <exception cref="ModelFormatException">The model files are invalid (see <see cref="LlamaFamilyModel.Load"/>).</exception>
    /// <exception cref="TokenizerFormatException">The tokenizer or chat template is missing or invalid.</exception>
    public static BaseModelChatClient Load(string modelDirectory, ModelLoadOptions? options = null, CancellationToken cancellationToken = default)
    {
        var tokenizer = TokenizerLoader.Load(modelDirectory);
        var template = ChatTemplate.FromModelDirectory(modelDirectory);
        var model = LlamaFamilyModel.Load(modelDirectory, options, cancellationToken: cancellationToken);
        return new BaseModelChatClient(model, tokenizer, template, Path.GetFileName(Path.TrimEndingDirectorySeparator(modelDirectory)), model);
    }

    /// <summary>
    /// The LoRA adapter applied to every following call that does not carry its own
    /// (<see cref="Text2LoraChatOptions.WithAdapter"/>); null: the base model. The caller owns it.
    /// </summary>
    public LoraAdapter? Adapter { get; set; }

    /// <summary>Whether the model has a chat template (otherwise messages are used as plain text).</summary>
    public bool HasChatTemplate => _template is not null;

    /// <inheritdoc />
    /// <exception cref="ArgumentException">No messages, a role other than system/user/assistant, or an order the template rejects.</exception>
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var (prompt, settings, stops) = Prepare(messages, options);
        var adapter = options.GetAdapter() ?? Adapter;
        return Task.Run(
            () =>
            {
                var completion = Complete(prompt, settings, stops, adapter, onTextDelta: null, cancellationToken);
                var message = new ChatMessage(ChatRole.Assistant, completion.Text) { MessageId = NewId() };
                return new ChatResponse(message)
                {
                    ResponseId = message.MessageId,
                    ModelId = _metadata.DefaultModelId,
                    CreatedAt = DateTimeOffset.UtcNow,
                    FinishReason = ToChatFinishReason(completion.FinishReason),
                    Usage = Usage(prompt.Count, completion.TokenIds.Count),
                };
            },
            cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>One update per text delta as tokens are decoded (text that could still turn into a stop sequence is
    /// held back until it cannot), then a last update carrying the finish reason and the token usage.</remarks>
    /// <exception cref="ArgumentException">No messages, a role other than system/user/assistant, or an order the template rejects.</exception>
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var (prompt, settings, stops) = Prepare(messages, options);
        var adapter = options.GetAdapter() ?? Adapter;
        var responseId = NewId();
        var createdAt = DateTimeOffset.UtcNow;
        var deltas = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var generation = Task.Run(
            () =>
            {
                try
                {
                    return Complete(prompt, settings, stops, adapter, d => deltas.Writer.TryWrite(d), stop.Token);
                }
                finally
                {
                    deltas.Writer.TryComplete();
                }
            },
            CancellationToken.None);

        try
        {
            await foreach (var delta in deltas.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return Update(new ChatResponseUpdate(ChatRole.Assistant, delta), responseId, createdAt);
            }

            var completion = await generation.ConfigureAwait(false);
            var last = new ChatResponseUpdate(ChatRole.Assistant, [new UsageContent(Usage(prompt.Count, completion.TokenIds.Count))])
            {
                FinishReason = ToChatFinishReason(completion.FinishReason),
            };
            yield return Update(last, responseId, createdAt);
        }
        finally
        {
            // The consumer stopped early or failed: end the decoding loop before the caller moves on.
            await stop.CancelAsync().ConfigureAwait(false);
            await generation.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(ChatClientMetadata) ? _metadata
            : serviceType.IsInstanceOfType(this) ? this
            : serviceType.IsInstanceOfType(_generator.Model) ? _generator.Model
            : serviceType.IsInstanceOfType(_generator.Tokenizer) ? _generator.Tokenizer
            : null;
    }

    /// <summary>Disposes the model when the client loaded it (<see cref="Load"/>); otherwise nothing.</summary>
    public void Dispose() => _owned?.Dispose();

    private (IReadOnlyList<int> Prompt, GenerationOptions Settings, IReadOnlyList<string> Stops) Prepare(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var turns = messages.Select(ToTurn).ToList();
        var prompt = ChatPrompt.Encode(_generator.Tokenizer, _template, turns);
        var defaults = new GenerationOptions();
        var settings = new GenerationOptions
        {
            MaxNewTokens = options?.MaxOutputTokens ?? defaults.MaxNewTokens,
            Temperature = options?.Temperature ?? 0,
            TopP = options?.TopP ?? 1,
            TopK = options?.TopK ?? 0,
            Seed = options?.Seed,
        };
        settings.Validate();
        return (prompt, settings, [.. options?.StopSequences ?? []]);
    }

    private TextCompletion Complete(
        IReadOnlyList<int> prompt, GenerationOptions settings, IReadOnlyList<string> stops, LoraAdapter? adapter, Action<string>? onTextDelta, CancellationToken cancellationToken)
    {
        using var active = adapter is null ? null : _generator.Model.PrepareAdapter(adapter);
        return _generator.Generate(prompt, settings, stops, active, onTextDelta, cancellationToken);
    }

    private static ChatTurn ToTurn(ChatMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Role != ChatRole.System && message.Role != ChatRole.User && message.Role != ChatRole.Assistant)
        {
            throw new ArgumentException($"Message role '{message.Role}' is not supported; use system, user or assistant.", "messages");
        }

        return new ChatTurn(message.Role.Value, message.Text);
    }

    private ChatResponseUpdate Update(ChatResponseUpdate update, string responseId, DateTimeOffset createdAt)
    {
        update.ResponseId = responseId;
        update.MessageId = responseId;
        update.ModelId = _metadata.DefaultModelId;
        update.CreatedAt = createdAt;
        return update;
    }

    private static UsageDetails Usage(int promptTokens, int outputTokens) => new()
    {
        InputTokenCount = promptTokens,
        OutputTokenCount = outputTokens,
        TotalTokenCount = promptTokens + outputTokens,
    };

    private static ChatFinishReason ToChatFinishReason(FinishReason reason) =>
        reason == FinishReason.Length ? ChatFinishReason.Length : ChatFinishReason.Stop;

    private static string NewId() => Guid.NewGuid().ToString("N");
}
