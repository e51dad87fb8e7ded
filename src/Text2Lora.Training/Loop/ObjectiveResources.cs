namespace Text2Lora.Training.Loop;

/// <summary>
/// What an objective under construction owns (models, embeddings, the hypernetwork, …), collected while it is built:
/// <see cref="Build{TObjective}"/> disposes them (in the order added) when building fails, so a failed start leaks
/// nothing; on success the objective owns the list.
/// </summary>
public sealed class ObjectiveResources : List<IDisposable>
{
    private ObjectiveResources()
    {
    }

    /// <summary>Runs <paramref name="build"/> with a fresh list; disposes what it collected and rethrows when it throws.</summary>
    /// <typeparam name="TObjective">The objective built.</typeparam>
    /// <param name="build">Builds the objective, adding what it will own.</param>
    public static TObjective Build<TObjective>(Func<ObjectiveResources, TObjective> build)
        where TObjective : class
    {
        ArgumentNullException.ThrowIfNull(build);
        var owned = new ObjectiveResources();
        try
        {
            return build(owned);
        }
        catch
        {
            owned.ForEach(d => d.Dispose());
            throw;
        }
    }

    /// <summary>Adds <paramref name="disposable"/> and returns it.</summary>
    /// <typeparam name="T">Its type.</typeparam>
    /// <param name="disposable">What the objective will own.</param>
    public T Own<T>(T disposable)
        where T : IDisposable
    {
        Add(disposable);
        return disposable;
    }
}
