namespace Text2Lora.Serving;

/// <summary>
/// What <c>t2l serve</c> (or an application calling <see cref="ServingServiceCollectionExtensions.AddText2LoraServing"/>)
/// serves and the limits it enforces. Model locations are plain folders (hub ids are resolved before these options are
/// filled); <see cref="Device"/> and <see cref="DType"/> choose where and in which precision the models run.
/// </summary>
public sealed class ServingOptions
{
    /// <summary>The base model folder (Hugging Face layout: config.json, weights, tokenizer).</summary>
    public string ModelDirectory { get; set; } = "";

    /// <summary>The T2L hypernetwork folder that generates adapters for <see cref="ModelDirectory"/>.</summary>
    public string HypernetworkDirectory { get; set; } = "";

    /// <summary>Where the models run: <c>cpu</c> (default), <c>cuda</c> or <c>cuda:N</c>.</summary>
    public string Device { get; set; } = Runtime.ComputeDevice.Cpu;

    /// <summary>The precision the base model and the hypernetwork are loaded in: <c>float32</c> (default), <c>bfloat16</c> or <c>float16</c>.</summary>
    public string DType { get; set; } = Models.ModelDType.Float32;

    /// <summary>When set, every <c>/v1</c> request must carry <c>Authorization: Bearer {ApiKey}</c> (else 401).</summary>
    public string? ApiKey { get; set; }

    /// <summary>Chat requests waiting for the scheduler at most; one more is refused with 429.</summary>
    public int MaxQueueLength { get; set; } = 64;

    /// <summary>Sequences decoded together in one batch at most.</summary>
    public int MaxBatchSize { get; set; } = 32;

    /// <summary>
    /// The longest the scheduler waits, before it starts a batch, for as many requests as it expects: those that waited
    /// through the last batch plus the rows answered at its last step (their clients usually resubmit within
    /// milliseconds) (0: never wait). Clients that resubmit together would otherwise split into a batch of the first arrival and a batch of
    /// the rest. A lone client does not wait.
    /// </summary>
    public TimeSpan BatchWindow { get; set; } = TimeSpan.FromMilliseconds(5);

    /// <summary>Generated adapters kept in memory (least recently used evicted first).</summary>
    public int AdapterCacheSize { get; set; } = 32;

    /// <summary>Largest request body accepted, in bytes (larger: 400).</summary>
    public long MaxRequestBodyBytes { get; set; } = 256 * 1024;

    /// <summary>Largest <c>max_tokens</c> a request may ask for.</summary>
    public int MaxTokensLimit { get; set; } = 512;

    /// <summary><c>max_tokens</c> when a request gives none (capped by the room left in the context).</summary>
    public int DefaultMaxTokens { get; set; } = 64;

    /// <summary>Longest task description accepted, in characters.</summary>
    public int MaxDescriptionLength { get; set; } = 2000;

    /// <summary>Most stop strings per request (OpenAI allows 4).</summary>
    public int MaxStopSequences { get; set; } = 4;

    /// <summary>Checks the values; throws naming the option.</summary>
    /// <exception cref="ArgumentException">A value out of range or a missing folder.</exception>
    public void Validate()
    {
        foreach (var (name, value) in new[] { (nameof(ModelDirectory), ModelDirectory), (nameof(HypernetworkDirectory), HypernetworkDirectory) })
        {
            if (string.IsNullOrWhiteSpace(value) || !Directory.Exists(value))
            {
                throw new ArgumentException($"ServingOptions.{name} '{value}' is not an existing folder.", name);
            }
        }

        if (!Runtime.ComputeDevice.TryParse(Device, out _))
        {
            throw new ArgumentException($"ServingOptions.{nameof(Device)} '{Device}' is not a device: use {Runtime.ComputeDevice.Syntax}.", nameof(Device));
        }

        if (!Models.ModelDType.TryParse(DType, out _))
        {
            throw new ArgumentException($"ServingOptions.{nameof(DType)} '{DType}' is not a dtype: use {string.Join(", ", Models.ModelDType.Names)}.", nameof(DType));
        }

        foreach (var (name, value) in new[]
                 {
                     (nameof(MaxQueueLength), (long)MaxQueueLength), (nameof(MaxBatchSize), MaxBatchSize), (nameof(AdapterCacheSize), AdapterCacheSize),
                     (nameof(MaxRequestBodyBytes), MaxRequestBodyBytes), (nameof(MaxTokensLimit), MaxTokensLimit), (nameof(DefaultMaxTokens), DefaultMaxTokens),
                     (nameof(MaxDescriptionLength), MaxDescriptionLength), (nameof(MaxStopSequences), MaxStopSequences),
                 })
        {
            if (value < 1)
            {
                throw new ArgumentOutOfRangeException(name, value, $"ServingOptions.{name} must be at least 1.");
            }
        }

        if (BatchWindow < TimeSpan.Zero || BatchWindow > TimeSpan.FromSeconds(1))
        {
            throw new ArgumentOutOfRangeException(nameof(BatchWindow), BatchWindow, "ServingOptions.BatchWindow must be between 0 and 1 s.");
        }

        if (ApiKey is { Length: 0 })
        {
            throw new ArgumentException("ServingOptions.ApiKey must not be empty (leave it null for no key).", nameof(ApiKey));
        }
    }
}
