using System.Threading.Channels;

namespace Text2Lora.Serving.Scheduling;

/// <summary>
/// One chat completion waiting for or being decoded by the scheduler. Text deltas of a streamed request go to
/// <see cref="Deltas"/> as tokens are produced; the outcome completes <see cref="Completion"/>.
/// </summary>
internal sealed class ChatJob : WorkItem
{
    public ChatJob(IReadOnlyList<int> prompt, int maxTokens, IReadOnlyList<string> stops, BatchKey key, AdapterReference? adapter, bool streams, CancellationToken cancellationToken)
        : base(cancellationToken)
    {
        Prompt = prompt;
        MaxTokens = maxTokens;
        Stops = stops;
        Key = key;
        Adapter = adapter;
        Streams = streams;
    }

    /// <summary>Whether the client reads <see cref="Deltas"/> (a streamed request); otherwise only the outcome is sent.</summary>
    public bool Streams { get; }

    public IReadOnlyList<int> Prompt { get; }

    public int MaxTokens { get; }

    public IReadOnlyList<string> Stops { get; }

    public BatchKey Key { get; }

    public AdapterReference? Adapter { get; }

    public Channel<string> Deltas { get; } = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

    public TaskCompletionSource<ChatOutcome> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Characters of the continuation already sent as deltas.</summary>
    internal int Shown { get; set; }

    /// <summary>Whether the scheduler has answered (or cancelled) this job.</summary>
    internal bool Finished { get; set; }

    /// <summary>Tokens decoded for this job when it finished (its row's last step in the batch).</summary>
    internal int Decoded { get; set; }

    public override void Run() => throw new InvalidOperationException("Chat jobs are decoded in batches.");

    public override void Fail(Exception exception)
    {
        Deltas.Writer.TryComplete();
        Completion.TrySetException(exception);
    }
}
