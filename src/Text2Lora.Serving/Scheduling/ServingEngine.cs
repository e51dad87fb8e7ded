using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using Microsoft.Extensions.Logging;
using Text2Lora.Abstractions;
using Text2Lora.Encoders;
using Text2Lora.LoraGeneration;
using Text2Lora.TextGeneration;
using Text2Lora.Hypernetworks.Checkpoints;
using Text2Lora.IO.Peft;
using Text2Lora.Lora;
using Text2Lora.Models.Llama;
using Text2Lora.Serving.Adapters;
using Text2Lora.Serving.Api;
using Text2Lora.Tokenization;
using Text2Lora.Tokenization.ChatTemplates;
using static TorchSharp.torch;

namespace Text2Lora.Serving.Scheduling;

/// <summary>
/// The server's model side: loads the base model, tokenizer, chat template and hypernetwork, and runs every piece of
/// tensor work on one dedicated scheduler thread. Chat requests wait in a bounded queue; the scheduler takes the oldest
/// and every other waiting request that may share its batch (<see cref="BatchKey"/>), up to
/// <see cref="ServingOptions.MaxBatchSize"/>, and decodes them together: one forward pass per step for the whole batch,
/// each row with its own adapter (<see cref="ActiveAdapters.PerSequence"/>), left-padded prompts, each row ending on
/// its own EOS, stop string, token limit or client disconnect, and answered at that step (not when the batch ends).
/// Requests arriving during a batch wait for the next one (step-synchronous batching: simpler than continuous
/// batching, which would need a per-row KV-cache layout). Before a batch starts, the scheduler waits at most
/// <see cref="ServingOptions.BatchWindow"/> until as many requests wait as it expects: those that waited through the
/// last batch (or were resubmitted during it) plus the rows answered at its last step, whose clients (in a closed loop)
/// resubmit within milliseconds; so concurrent clients
/// keep decoding as one batch instead of splitting into cohorts that alternate, and a lone client never waits. Greedy
/// rows decode exactly the tokens they decode alone, because padding is masked out and each row's adapter touches only
/// its row.
/// </summary>
internal sealed class ServingEngine : IDisposable
{
    private readonly ServingOptions _options;
    private readonly ILogger _logger;
    private readonly object _gate = new();
    private readonly LinkedList<WorkItem> _queue = new();
    private readonly SemaphoreSlim _signal = new(0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Thread _thread;
    private LlamaFamilyModel? _model;
    private IHypernetwork? _hypernetwork;
    private MiniLmTaskEncoder? _encoder;
    private LoraGenerator? _generator;
    private TextGenerator? _text;
    private long _completed;
    private long _cancelled;
    private long _generatedTokens;
    private int _largestBatch;
    private long _batches;
    private long _batchedRows;

    /// <summary>Chat requests the next batch expects (see the class summary); starts at the batch size limit.</summary>
    private int _expected;

    public ServingEngine(ServingOptions options, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _logger = loggerFactory.CreateLogger<ServingEngine>();
        LoggerFactory = loggerFactory;
        Cache = new AdapterCache(options.AdapterCacheSize);
        ModelId = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(options.ModelDirectory)));
        Tokenizer = TokenizerLoader.Load(options.ModelDirectory);
        Template = ChatTemplate.FromModelDirectory(options.ModelDirectory);
        _expected = options.MaxBatchSize;
        _thread = new Thread(Loop) { IsBackground = true, Name = "t2l-scheduler" };
        _thread.Start();
    }

    private ILoggerFactory LoggerFactory { get; }

    /// <summary>The base model's id in <c>/v1/models</c> (its folder name).</summary>
    public string ModelId { get; }

    public ITextTokenizer Tokenizer { get; }

    public ChatTemplate? Template { get; }

    public AdapterCache Cache { get; }

    public ServingOptions Options => _options;

    /// <summary>Completes once the models are loaded (faults when loading failed).</summary>
    public Task Ready => _ready.Task;

    /// <summary>Positions the base model can attend to (prompt plus completion).</summary>
    public int ContextLength => _model?.Config.MaxPositionEmbeddings ?? throw new InvalidOperationException("The models are still loading.");

    public int QueueLength
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>The most sequences decoded in one batch so far (for tests and the benchmark).</summary>
    public int LargestBatch => Volatile.Read(ref _largestBatch);

    /// <summary>Tokens decoded for chat requests so far, cancelled rows included (for tests and metrics).</summary>
    public long GeneratedTokens => Interlocked.Read(ref _generatedTokens);

    /// <summary>Batches decoded so far and the rows they held (for the benchmark's mean batch size).</summary>
    public (long Batches, long Rows) BatchCounts => (Interlocked.Read(ref _batches), Interlocked.Read(ref _batchedRows));

    /// <summary>Chat requests that ended because the client went away.</summary>
    public long CancelledRequests => Interlocked.Read(ref _cancelled);

    /// <summary>Queues a chat job; 429 when the queue is full.</summary>
    public void Enqueue(WorkItem item)
    {
        lock (_gate)
        {
            if (_queue.Count >= _options.MaxQueueLength)
            {
                throw new ApiException(HttpStatusCode.TooManyRequests, $"The server is busy: {_queue.Count} requests are waiting (the limit is {_options.MaxQueueLength}); retry later.", "rate_limit_error", code: "queue_full");
            }

            _queue.AddLast(item);
            Monitor.PulseAll(_gate); // wakes AwaitBatch
        }

        _signal.Release();
    }

    /// <summary>Runs <paramref name="work"/> on the scheduler thread (between batches) and returns its result.</summary>
    public Task<T> RunAsync<T>(Func<T> work, CancellationToken cancellationToken)
    {
        var item = new WorkItem<T>(work, cancellationToken);
        Enqueue(item);
        return item.Completion.Task;
    }

    /// <summary>Generates (or finds) the adapter of <paramref name="description"/>; returns its metadata.</summary>
    public Task<AdapterEntry> GetOrCreateAdapterAsync(string description, CancellationToken cancellationToken) =>
        RunAsync(() => Describe(EnsureAdapter(new AdapterReference(AdapterIds.For(description), description), pinned: null).Id), cancellationToken);

    /// <summary>The cached adapter as a zipped PEFT folder.</summary>
    public Task<byte[]> ZipAdapterAsync(AdapterReference reference, CancellationToken cancellationToken) =>
        RunAsync(
            () =>
            {
                var adapter = EnsureAdapter(reference, pinned: null).Adapter;
                var folder = Path.Combine(Path.GetTempPath(), "t2l-serve-" + Guid.NewGuid().ToString("N"));
                try
                {
                    PeftAdapterFolder.Save(adapter, folder);
                    using var zip = new MemoryStream();
                    ZipFile.CreateFromDirectory(folder, zip, CompressionLevel.Optimal, includeBaseDirectory: false);
                    return zip.ToArray();
                }
                finally
                {
                    Directory.Delete(folder, recursive: true);
                }
            },
            cancellationToken);

    private AdapterEntry Describe(string id) => Cache.Describe(id) ?? throw new InvalidOperationException($"Adapter '{id}' vanished from the cache.");

    private void Loop()
    {
        try
        {
            Load();
            _ready.TrySetResult();
        }
        catch (Exception e)
        {
            _logger.LogError(e, "Loading the models failed");
            _ready.TrySetException(e);
            FailAll(e);
            return;
        }

        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                _signal.Wait(_stopping.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            AwaitBatch();
            var batch = Take();
            if (batch.Count == 0)
            {
                continue;
            }

            try
            {
                if (batch[0] is ChatJob)
                {
                    Decode(batch.Cast<ChatJob>().ToList());
                }
                else
                {
                    using var scope = NewDisposeScope();
                    batch[0].Run();
                }
            }
            catch (Exception e)
            {
                _logger.LogError(e, "Scheduler work failed");
                batch.ForEach(item => item.Fail(e));
            }
        }

        FailAll(new ObjectDisposedException(nameof(ServingEngine), "The server is shutting down."));
    }

    private void Load()
    {
        var clock = Stopwatch.StartNew();
        var device = Runtime.ComputeDevice.Parse(_options.Device);
        var dtype = Models.ModelDType.Parse(_options.DType);
        Runtime.TorchRuntime.EnsureAvailable(device);
        _model = LlamaFamilyModel.Load(_options.ModelDirectory, new ModelLoadOptions { Device = device, DType = dtype }, LoggerFactory.CreateLogger<LlamaFamilyModel>());
        _hypernetwork = new HypernetworkLoader().Load(_options.HypernetworkDirectory, _options.ModelDirectory, device, dtype);
        _encoder = new MiniLmTaskEncoder(LoggerFactory.CreateLogger<MiniLmTaskEncoder>());
        _generator = Text2LoraBuilder.Create().WithHypernetwork(_hypernetwork).WithTaskEncoder(_encoder).WithEmbeddingCache(0).WithLoggerFactory(LoggerFactory).Build();
        _text = new TextGenerator(_model, Tokenizer);
        _logger.LogInformation("Serving {Model} with adapters from {Hypernetwork}; loaded in {LoadMs:F0} ms", ModelId, _options.HypernetworkDirectory, clock.Elapsed.TotalMilliseconds);
    }

    /// <summary>
    /// When the oldest queued item is a chat job: waits until the jobs that may share its batch number what the
    /// scheduler expects (<see cref="_expected"/>, at most the batch size limit) or <see cref="ServingOptions.BatchWindow"/> has passed.
    /// </summary>
    private void AwaitBatch()
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(_options.BatchWindow.TotalSeconds * Stopwatch.Frequency);
        lock (_gate)
        {
            var target = Math.Clamp(_expected, 1, _options.MaxBatchSize);
            while (BatchableJobs() is > 0 and var waiting && waiting < target)
            {
                var left = deadline - Stopwatch.GetTimestamp();
                if (left <= 0)
                {
                    return;
                }

                Monitor.Wait(_gate, TimeSpan.FromSeconds((double)left / Stopwatch.Frequency));
            }
        }
    }

    /// <summary>Chat jobs in the queue, whatever their batch key.</summary>
    private int WaitingChatJobs()
    {
        lock (_gate)
        {
            return _queue.Count(item => item is ChatJob);
        }
    }

    /// <summary>Waiting chat jobs that may share a batch with the oldest queued item when it is one (else 0); under <see cref="_gate"/>.</summary>
    private int BatchableJobs() => _queue.First?.Value is ChatJob lead ? _queue.Count(item => item is ChatJob job && job.Key == lead.Key) : 0;

    /// <summary>The oldest item; when it is a chat job, also every waiting chat job of the same batch key (FIFO), up to the batch size.</summary>
    private List<WorkItem> Take()
    {
        lock (_gate)
        {
            var first = _queue.First;
            if (first is null)
            {
                return [];
            }

            _queue.RemoveFirst();
            var taken = new List<WorkItem> { first.Value };
            if (first.Value is ChatJob lead)
            {
                for (var node = _queue.First; node is not null && taken.Count < _options.MaxBatchSize;)
                {
                    var next = node.Next;
                    if (node.Value is ChatJob job && job.Key == lead.Key)
                    {
                        _queue.Remove(node);
                        taken.Add(job);
                        _signal.Wait(0); // one signal per queued item
                    }

                    node = next;
                }
            }

            return taken;
        }
    }

    private (string Id, LoraAdapter Adapter) EnsureAdapter(AdapterReference reference, IReadOnlySet<string>? pinned)
    {
        if (Cache.Use(reference.Id) is { } cached)
        {
            return (reference.Id, cached);
        }

        var clock = Stopwatch.StartNew();
        var adapter = _generator!.FromDescription(reference.Description);
        foreach (var weights in adapter.Modules.Values)
        {
            // The cache owns the adapter: keep it out of whatever dispose scope the work item runs in.
            weights.A.DetachFromDisposeScope();
            weights.B.DetachFromDisposeScope();
        }

        var elapsed = clock.Elapsed.TotalMilliseconds;
        var modules = adapter.Modules.Values.ToList();
        var entry = new AdapterEntry(
            reference.Id, "adapter", reference.Description, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), Math.Round(elapsed, 1),
            modules.Count == 0 ? 0 : modules.Max(m => m.Rank), modules.Sum(m => m.A.numel() + m.B.numel()),
            [.. adapter.Modules.Keys.Select(path => path[(path.LastIndexOf('.') + 1)..]).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)], Cached: true);
        Cache.Add(entry, adapter);
        var evicted = Cache.Trim(pinned ?? new HashSet<string>(StringComparer.Ordinal) { reference.Id });
        _logger.LogInformation(
            "Generated adapter {AdapterId} in {GenerationMs:F1} ms (cache: {Cached} adapters, {Hits} hits, {Misses} misses, evicted {Evicted})",
            reference.Id, elapsed, Cache.Count, Cache.Hits, Cache.Misses, evicted.Count);
        return (reference.Id, adapter);
    }

    private void Decode(List<ChatJob> jobs)
    {
        foreach (var job in jobs.Where(j => j.CancellationToken.IsCancellationRequested).ToList())
        {
            Interlocked.Increment(ref _cancelled);
            job.Fail(new OperationCanceledException(job.CancellationToken));
            jobs.Remove(job);
        }

        var adapters = new List<LoraAdapter?>();
        var pinned = new HashSet<string>(jobs.Where(j => j.Adapter is not null).Select(j => j.Adapter!.Id), StringComparer.Ordinal);
        foreach (var job in jobs.ToList())
        {
            try
            {
                adapters.Add(job.Adapter is { } reference ? EnsureAdapter(reference, pinned).Adapter : null);
            }
            catch (Exception e)
            {
                _logger.LogError(e, "Generating the adapter of a chat request failed");
                job.Fail(e);
                jobs.Remove(job);
            }
        }

        if (jobs.Count == 0)
        {
            return;
        }

        InterlockedMax(ref _largestBatch, jobs.Count);
        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _batchedRows, jobs.Count);
        var clock = Stopwatch.StartNew();
        var key = jobs[0].Key;
        IReadOnlySet<int> eos = key.IgnoreEos ? new HashSet<int>() : _text!.DefaultEosTokenIds.ToHashSet();
        var tokensBefore = Interlocked.Read(ref _generatedTokens);
        var settings = new GenerationOptions
        {
            MaxNewTokens = jobs.Max(j => j.MaxTokens),
            Temperature = key.Temperature,
            TopP = key.TopP,
            Seed = key.Seed,
            // EOS is recognised in OnToken, so that a row is answered at the step it ends; the pad token is what
            // TextGenerator would use (the model's, else the first EOS).
            EosTokenIds = [],
            PadTokenId = _model!.Info.PadTokenId ?? _text!.DefaultEosTokenIds.FirstOrDefault(),
            StopWhen = (row, tokens) => OnToken(jobs[row], tokens, eos),
        };

        using var scope = NewDisposeScope();
        using var active = adapters.Any(a => a is not null) ? _model!.PrepareAdapters(adapters) : null;
        using var result = _model!.Generate([.. jobs.Select(j => j.Prompt)], settings, active);
        for (var row = 0; row < jobs.Count; row++)
        {
            // Every row ends in OnToken (its token limit included); this only covers a row the loop left early.
            Finish(jobs[row], result.Sequences[row].TokenIds, endOfSequence: false);
        }

        var tokens = Interlocked.Read(ref _generatedTokens) - tokensBefore;
        var seconds = clock.Elapsed.TotalSeconds;
        var lastStep = jobs.Max(j => j.Decoded);
        _expected = jobs.Count(j => j.Decoded == lastStep && j.Completion.Task.IsCompletedSuccessfully) + WaitingChatJobs();
        _logger.LogInformation(
            "Decoded a batch of {BatchSize} ({Adapters} with adapters): {Tokens} tokens in {ElapsedMs:F0} ms, {TokensPerSecond:F1} tokens/s; queue {QueueLength}; adapter cache {Hits} hits, {Misses} misses",
            jobs.Count, adapters.Count(a => a is not null), tokens, seconds * 1000, tokens / Math.Max(seconds, 1e-9), QueueLength, Cache.Hits, Cache.Misses);
    }

    /// <summary>
    /// Called after each new token of a row: streams the text that is final, and ends (and answers) the row on
    /// end-of-sequence, a stop string, its own token limit or its client's disconnect.
    /// </summary>
    private bool OnToken(ChatJob job, IReadOnlyList<int> tokens, IReadOnlySet<int> eos)
    {
        if (job.Finished)
        {
            return true;
        }

        if (job.CancellationToken.IsCancellationRequested || eos.Contains(tokens[^1]) || tokens.Count >= job.MaxTokens)
        {
            Finish(job, tokens, endOfSequence: eos.Contains(tokens[^1]));
            return true;
        }

        if (!job.Streams && job.Stops.Count == 0)
        {
            return false; // nothing to show or watch for before the row ends: no need to decode its text at every step
        }

        var text = Tokenizer.Decode(tokens);
        var match = StopStrings.FirstMatch(text, job.Stops);
        if (match >= 0)
        {
            Finish(job, tokens, endOfSequence: false);
            return true;
        }

        if (!job.Streams)
        {
            return false;
        }

        var final = StopStrings.StreamableLength(text, job.Stops);
        if (final > job.Shown)
        {
            job.Deltas.Writer.TryWrite(text[job.Shown..final]);
            job.Shown = final;
        }

        return false;
    }

    /// <summary>Answers a row once: the rest of its text up to the first stop string, and its finish reason; or cancels it.</summary>
    private void Finish(ChatJob job, IReadOnlyList<int> tokens, bool endOfSequence)
    {
        if (job.Finished)
        {
            return;
        }

        job.Finished = true;
        var output = tokens.Take(job.MaxTokens).ToList();
        job.Decoded = output.Count;
        Interlocked.Add(ref _generatedTokens, output.Count);
        if (job.CancellationToken.IsCancellationRequested)
        {
            Interlocked.Increment(ref _cancelled);
            job.Fail(new OperationCanceledException(job.CancellationToken));
            return;
        }

        var decoded = Tokenizer.Decode(output);
        var stopAt = StopStrings.FirstMatch(decoded, job.Stops);
        var text = stopAt >= 0 ? decoded[..stopAt] : decoded;
        if (job.Streams && text.Length > job.Shown)
        {
            job.Deltas.Writer.TryWrite(text[job.Shown..]);
        }

        var finish = stopAt >= 0 || endOfSequence ? "stop" : "length";
        job.Deltas.Writer.TryComplete();
        job.Completion.TrySetResult(new ChatOutcome(text, job.Prompt.Count, output.Count, finish));
        Interlocked.Increment(ref _completed);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    private void FailAll(Exception exception)
    {
        List<WorkItem> left;
        lock (_gate)
        {
            left = [.. _queue];
            _queue.Clear();
        }

        left.ForEach(item => item.Fail(exception));
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _thread.Join();
        Cache.Dispose();
        _generator?.Dispose();
        _encoder?.Dispose();
        _hypernetwork?.Dispose();
        _model?.Dispose();
        _signal.Dispose();
        _stopping.Dispose();
    }
}
