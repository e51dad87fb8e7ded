using Text2Lora.Runtime;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Text2Lora.Abstractions;
using Text2Lora.Encoders;
using Text2Lora.Lora;
using static TorchSharp.torch;

namespace Text2Lora.LoraGeneration;

/// <summary>
/// Turns task descriptions into LoRA adapters: the task encoder embeds the descriptions (one batched call),
/// the hypernetwork generates all adapters from the embeddings (one batched call). Needs only the base
/// model's shapes (carried by the hypernetwork), never its weights. Deterministic and safe to share
/// between threads (a DI singleton): hypernetwork calls are serialised, because <see cref="IHypernetwork"/>
/// does not promise concurrent use.
/// </summary>
public sealed class LoraGenerator : ILoraGenerator, IDisposable
{
    private readonly ITaskEncoder _encoder;
    private readonly IHypernetwork _hypernetwork;
    private readonly ILogger _logger;
    private readonly IDisposable[] _owned;
    private readonly Lock _hypernetworkGate = new();
    private readonly CallGate _calls = new(nameof(LoraGenerator));

    /// <summary>Combines <paramref name="encoder"/> and <paramref name="hypernetwork"/>; the caller keeps ownership of both.</summary>
    /// <exception cref="ArgumentException">The encoder's embedding size differs from the hypernetwork's input size.</exception>
    public LoraGenerator(ITaskEncoder encoder, IHypernetwork hypernetwork, ILogger<LoraGenerator>? logger = null)
        : this(encoder, hypernetwork, logger, owned: [])
    {
    }

    internal LoraGenerator(ITaskEncoder encoder, IHypernetwork hypernetwork, ILogger? logger, IDisposable[] owned)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(hypernetwork);
        if (encoder.EmbeddingSize != hypernetwork.TaskEmbeddingSize)
        {
            throw new ArgumentException(
                $"Task encoder '{encoder.Id}' makes {encoder.EmbeddingSize}-d embeddings but the hypernetwork expects {hypernetwork.TaskEmbeddingSize}-d ones; use the encoder the hypernetwork was trained with.",
                nameof(encoder));
        }

        _encoder = encoder;
        _hypernetwork = hypernetwork;
        _logger = logger ?? NullLogger.Instance;
        _owned = owned;
    }

    /// <summary>The task encoder.</summary>
    public ITaskEncoder TaskEncoder => _encoder;

    /// <summary>The hypernetwork (its <see cref="IHypernetwork.AdapterConfig"/> and <see cref="IHypernetwork.Targets"/> describe the adapters).</summary>
    public IHypernetwork Hypernetwork => _hypernetwork;

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="description"/> is null, empty or whitespace only.</exception>
    public LoraAdapter FromDescription(string description)
    {
        TaskDescriptions.Normalize(description, nameof(description));
        return Generate([description], CancellationToken.None)[0];
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">A description is null, empty or whitespace only.</exception>
    public IReadOnlyList<LoraAdapter> FromDescriptions(IEnumerable<string> descriptions)
    {
        var list = descriptions?.ToList() ?? throw new ArgumentNullException(nameof(descriptions));
        TaskDescriptions.NormalizeAll(list, nameof(descriptions));
        return Generate(list, CancellationToken.None);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="description"/> is null, empty or whitespace only.</exception>
    public async Task<LoraAdapter> FromDescriptionAsync(string description, CancellationToken cancellationToken = default)
    {
        TaskDescriptions.Normalize(description, nameof(description));
        var adapters = await Task.Run(() => Generate([description], cancellationToken), cancellationToken).ConfigureAwait(false);
        return adapters[0];
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">A description is null, empty or whitespace only.</exception>
    public Task<IReadOnlyList<LoraAdapter>> FromDescriptionsAsync(IEnumerable<string> descriptions, CancellationToken cancellationToken = default)
    {
        var list = descriptions?.ToList() ?? throw new ArgumentNullException(nameof(descriptions));
        TaskDescriptions.NormalizeAll(list, nameof(descriptions));
        return Task.Run<IReadOnlyList<LoraAdapter>>(() => Generate(list, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// Generates one adapter per row of <paramref name="taskEmbeddings"/> [N, D], bypassing the encoder (e.g. to
    /// check parity with embeddings computed elsewhere). The caller owns the adapters and keeps the tensor.
    /// </summary>
    /// <exception cref="ArgumentException">The tensor is not float [N, D] with the hypernetwork's D.</exception>
    public IReadOnlyList<LoraAdapter> FromTaskEmbeddings(Tensor taskEmbeddings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(taskEmbeddings);
        if (taskEmbeddings.dim() != 2 || taskEmbeddings.shape[1] != _hypernetwork.TaskEmbeddingSize || !taskEmbeddings.is_floating_point())
        {
            throw new ArgumentException(
                $"Task embeddings must be a floating-point tensor [N, {_hypernetwork.TaskEmbeddingSize}]; got {taskEmbeddings.dtype} [{string.Join(", ", taskEmbeddings.shape)}].",
                nameof(taskEmbeddings));
        }

        using var call = _calls.Enter();
        lock (_hypernetworkGate)
        {
            return _hypernetwork.Generate(taskEmbeddings, cancellationToken);
        }
    }

    private List<LoraAdapter> Generate(IReadOnlyList<string> descriptions, CancellationToken cancellationToken)
    {
        if (descriptions.Count == 0)
        {
            return [];
        }

        using var call = _calls.Enter();
        var clock = Stopwatch.StartNew();
        using var embeddings = _encoder.Encode(descriptions, cancellationToken);
        var encoded = clock.Elapsed;
        cancellationToken.ThrowIfCancellationRequested();
        var generated = FromTaskEmbeddings(embeddings, cancellationToken);
        if (generated.Count != descriptions.Count)
        {
            throw new InvalidOperationException($"The hypernetwork returned {generated.Count} adapters for {descriptions.Count} task embeddings.");
        }

        var adapters = new List<LoraAdapter>(generated.Count);
        for (var i = 0; i < generated.Count; i++)
        {
            // The weights move to a new adapter that records the description (TaskDescription is init-only);
            // the hypernetwork's adapter object holds no other resources.
            adapters.Add(new LoraAdapter(generated[i].Config, generated[i].Modules, descriptions[i]));
        }

        _logger.LogDebug(
            "Generated {Count} adapter(s) in {Total:F1} ms (encoder {Encoder:F1} ms).",
            adapters.Count, clock.Elapsed.TotalMilliseconds, encoded.TotalMilliseconds);
        return adapters;
    }

    /// <summary>
    /// Disposes what this generator owns: nothing when constructed directly; the encoder and hypernetwork when built by
    /// <see cref="Text2LoraBuilder"/>. Waits for calls in flight on other threads; later calls throw <see cref="ObjectDisposedException"/>.
    /// </summary>
    public void Dispose()
    {
        if (!_calls.Close())
        {
            return;
        }

        foreach (var owned in _owned)
        {
            owned.Dispose();
        }
    }
}
