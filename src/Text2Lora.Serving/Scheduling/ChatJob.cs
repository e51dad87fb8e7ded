using System.Threading.Channels;
using Text2Lora.Generation;

namespace Text2Lora.Serving.Scheduling;

/// <summary>Which adapter a chat request wants: a cached id, with the description that regenerates it if it was evicted.</summary>
internal sealed record AdapterReference(string Id, string Description);

/// <summary>How a finished chat job ended.</summary>
internal sealed record ChatOutcome(string Text, int PromptTokens, int CompletionTokens, string FinishReason);

/// <summary>
/// Sampling settings that may share one batch: every greedy request batches with every other; sampled requests batch
/// with requests of the same temperature and top-p; a seeded sampled request runs alone so that its seed reproduces
/// its tokens whatever else is being served.
/// </summary>
internal readonly record struct BatchKey(double Temperature, double TopP, long? Seed, long Unique)
{
    private static long s_next;

    public static BatchKey For(double temperature, double topP, long? seed) =>
        temperature <= 0 ? new BatchKey(0, 1, null, 0)
        : seed is null ? new BatchKey(temperature, topP, null, 0)
        : new BatchKey(temperature, topP, seed, Interlocked.Increment(ref s_next));
}

/// <summary>
/// One chat completion waiting for or being decoded by the scheduler. Text deltas (for streaming) go to
/// <see cref="Deltas"/> as tokens are produced; the outcome completes <see cref="Completion"/>.
/// </summary>
internal sealed class ChatJob : WorkItem
{
    public ChatJob(IReadOnlyList<int> prompt, int maxTokens, IReadOnlyList<string> stops, BatchKey key, AdapterReference? adapter, CancellationToken cancellationToken)
        : base(cancellationToken)
    {
        Prompt = prompt;
        MaxTokens = maxTokens;
        Stops = stops;
        Key = key;
        Adapter = adapter;
    }

    public IReadOnlyList<int> Prompt { get; }

    public int MaxTokens { get; }

    public IReadOnlyList<string> Stops { get; }

    public BatchKey Key { get; }

    public AdapterReference? Adapter { get; }

    public Channel<string> Deltas { get; } = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

    public TaskCompletionSource<ChatOutcome> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Characters of the continuation already sent as deltas.</summary>
    internal int Shown { get; set; }

    /// <summary>Whether a stop string ended the continuation.</summary>
    internal bool StoppedByString { get; set; }

    public override void Run() => throw new InvalidOperationException("Chat jobs are decoded in batches.");

    public override void Fail(Exception exception)
    {
        Deltas.Writer.TryComplete();
        Completion.TrySetException(exception);
    }
}
