namespace Text2Lora.Serving.Scheduling;

/// <summary>Something the scheduler thread does: decode chat requests, generate an adapter, or pack one for download.</summary>
internal abstract class WorkItem(CancellationToken cancellationToken)
{
    /// <summary>The client's cancellation (it disconnected).</summary>
    public CancellationToken CancellationToken { get; } = cancellationToken;

    /// <summary>Ends the item with an error (or cancellation) without running it.</summary>
    public abstract void Fail(Exception exception);

    /// <summary>Does the work on the scheduler thread (chat jobs are decoded in batches instead).</summary>
    public abstract void Run();
}

/// <summary>A work item with a result.</summary>
internal sealed class WorkItem<T>(Func<T> run, CancellationToken cancellationToken) : WorkItem(cancellationToken)
{
    public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override void Run()
    {
        try
        {
            Completion.TrySetResult(run());
        }
        catch (Exception e)
        {
            Completion.TrySetException(e);
        }
    }

    public override void Fail(Exception exception) => Completion.TrySetException(exception);
}
