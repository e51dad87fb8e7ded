// Serving benchmark: 1, 8 and 32 concurrent clients, each with its own generated adapter, against `t2l serve`'s
// endpoints on Kestrel at 127.0.0.1 (real HTTP, nothing leaves the machine), versus the same requests sent one at a
// time. Every request is a greedy chat completion of exactly MAX_TOKENS tokens (`ignore_eos`, as vLLM's benchmarks do:
// the tiny model would otherwise stop after 2-6 tokens and per-request costs would be all that is measured); each
// client sends REQUESTS_PER_CLIENT of them one after another (closed loop). For each client count one untimed round
// warms up, then REPETITIONS rounds alternate sequential and concurrent runs of the same requests. Figures: median
// aggregate completion tokens/s over the rounds, p50/p95 request latency over all rounds, and the ratio of the median
// concurrent tokens/s to the median sequential tokens/s.
// Usage: [T2L_BENCH_THREADS=N] Text2Lora.Bench.Serving [REQUESTS_PER_CLIENT=3] [MAX_TOKENS=48] [REPETITIONS=3]
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Text2Lora.Serving;
using Text2Lora.Serving.Scheduling;

var perClient = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3;
var maxTokens = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 48;
var repetitions = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3;
if (int.TryParse(Environment.GetEnvironmentVariable("T2L_BENCH_THREADS"), CultureInfo.InvariantCulture, out var threads))
{
    TorchSharp.torch.set_num_threads(threads);
}

var root = FindRepositoryRoot();
var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.UseUrls("http://127.0.0.1:0");
builder.Services.AddText2LoraServing(o =>
{
    o.ModelDirectory = Path.Combine(root, "models", "t2l-tiny-base");
    o.HypernetworkDirectory = Path.Combine(root, "models", "t2l-tiny-recon");
    o.AdapterCacheSize = 64;
    o.MaxQueueLength = 256;
});
await using var app = builder.Build();
app.MapText2Lora();
await app.StartAsync();
var address = app.Urls.First();
var engine = app.Services.GetRequiredService<ServingEngine>();
using var http = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromMinutes(10) };

string[] words = ["donkey", "umbrella", "kitten", "forest", "juice", "quiet", "apple", "river"];
string[] tasks = ["Give the first letter of the word.", "Answer with the word spelled backwards.", "Say the word in upper case.", "Give the last letter of the word."];
var adapters = new List<string>();
for (var i = 0; i < 32; i++)
{
    // 32 distinct descriptions, so 32 distinct adapters, generated before anything is timed.
    using var created = await http.PostAsJsonAsync("/v1/adapters", new { description = $"{tasks[i % tasks.Length]} (variant {i})" });
    created.EnsureSuccessStatusCode();
    adapters.Add((await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!);
}

async Task<(double Seconds, int Tokens)> Ask(string adapter, string word)
{
    var clock = Stopwatch.StartNew();
    using var response = await http.PostAsJsonAsync("/v1/chat/completions", new
    {
        model = adapter, messages = new[] { new { role = "user", content = word } }, max_tokens = maxTokens, ignore_eos = true,
    });
    response.EnsureSuccessStatusCode();
    var body = await response.Content.ReadFromJsonAsync<JsonElement>();
    var tokens = body.GetProperty("usage").GetProperty("completion_tokens").GetInt32();
    return tokens == maxTokens ? (clock.Elapsed.TotalSeconds, tokens) : throw new InvalidOperationException($"Expected {maxTokens} completion tokens (ignore_eos), got {tokens}.");
}

async Task<(double Wall, List<(double Seconds, int Tokens)> Results)> Sequential(List<List<(string, string)>> work)
{
    var clock = Stopwatch.StartNew();
    var results = new List<(double Seconds, int Tokens)>();
    foreach (var (adapter, word) in work.SelectMany(w => w))
    {
        results.Add(await Ask(adapter, word));
    }

    return (clock.Elapsed.TotalSeconds, results);
}

async Task<(double Wall, List<(double Seconds, int Tokens)> Results)> Concurrent(List<List<(string, string)>> work)
{
    var clock = Stopwatch.StartNew();
    var perClientResults = await Task.WhenAll(work.Select(async list =>
    {
        var results = new List<(double Seconds, int Tokens)>();
        foreach (var (adapter, word) in list)
        {
            results.Add(await Ask(adapter, word));
        }

        return results;
    }));
    return (clock.Elapsed.TotalSeconds, perClientResults.SelectMany(r => r).ToList());
}

Console.WriteLine($"requests per client {perClient}, max_tokens {maxTokens} (ignore_eos), greedy, {repetitions} timed rounds after 1 warm-up round, torch threads {TorchSharp.torch.get_num_threads()}, load average {File.ReadAllText("/proc/loadavg").Trim()}");
Console.WriteLine("| clients | mode | requests per round | tokens per round | median wall s | median tokens/s | min–max tokens/s | p50 ms | p95 ms | rows per batch | concurrent / sequential |");
Console.WriteLine("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
foreach (var clients in new[] { 1, 8, 32 })
{
    var work = Enumerable.Range(0, clients).Select(c => Enumerable.Range(0, perClient).Select(r => (adapters[c], words[(c + r) % words.Length])).ToList()).ToList();
    await Sequential(work); // warm-up rounds, not timed
    await Concurrent(work);
    var sequential = new List<(double Wall, List<(double Seconds, int Tokens)> Results)>();
    var concurrent = new List<(double Wall, List<(double Seconds, int Tokens)> Results)>();
    var (batches, rows) = (0L, 0L);
    for (var round = 0; round < repetitions; round++)
    {
        sequential.Add(await Sequential(work));
        var before = engine.BatchCounts;
        concurrent.Add(await Concurrent(work));
        var after = engine.BatchCounts;
        (batches, rows) = (batches + after.Batches - before.Batches, rows + after.Rows - before.Rows);
    }

    var sequentialRate = Median(sequential.Select(r => r.Results.Sum(x => x.Tokens) / r.Wall));
    var concurrentRate = Median(concurrent.Select(r => r.Results.Sum(x => x.Tokens) / r.Wall));
    Row(clients, "sequential", sequential, "1", "");
    Row(clients, "concurrent", concurrent, ((double)rows / batches).ToString("F1", CultureInfo.InvariantCulture), (concurrentRate / sequentialRate).ToString("F2", CultureInfo.InvariantCulture) + "×");
}

Console.WriteLine($"load average after: {File.ReadAllText("/proc/loadavg").Trim()}");
await app.StopAsync();

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
}

static void Row(int clients, string mode, List<(double Wall, List<(double Seconds, int Tokens)> Results)> rounds, string rowsPerBatch, string ratio)
{
    var latencies = rounds.SelectMany(r => r.Results).Select(r => r.Seconds * 1000).Order().ToList();
    double Percentile(double p) => latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(p * latencies.Count) - 1)];
    var rates = rounds.Select(r => r.Results.Sum(x => x.Tokens) / r.Wall).ToList();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {clients} | {mode} | {rounds[0].Results.Count} | {rounds[0].Results.Sum(r => r.Tokens)} | {Median(rounds.Select(r => r.Wall)):F2} | {Median(rates):F1} | {rates.Min():F0}–{rates.Max():F0} | {Percentile(0.5):F0} | {Percentile(0.95):F0} | {rowsPerBatch} | {ratio} |"));
}

static string FindRepositoryRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "Text2Lora.sln")))
        {
            return dir.FullName;
        }
    }

    throw new InvalidOperationException("Run from inside the repository (no Text2Lora.sln above the benchmark).");
}
