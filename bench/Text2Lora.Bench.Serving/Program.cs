// Serving benchmark: 1, 8 and 32 concurrent clients, each with its own generated adapter, against `t2l serve`'s
// endpoints on Kestrel at 127.0.0.1 (real HTTP, nothing leaves the machine), versus the same requests sent one at a
// time. Every client sends a fixed number of greedy chat completions (closed loop); the figures are aggregate
// completion tokens/s, p50/p95 request latency, and the ratio of tokens/s to the sequential run of the same requests.
// Usage: [T2L_BENCH_THREADS=N] Text2Lora.Bench.Serving [REQUESTS_PER_CLIENT=4] [MAX_TOKENS=24]
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Text2Lora.Serving;

var perClient = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 4;
var maxTokens = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 24;
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
using var http = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromMinutes(10) };

string[] words = ["donkey", "umbrella", "kitten", "forest", "juice", "quiet", "apple", "river"];
string[] tasks = ["Give the first letter of the word.", "Answer with the word spelled backwards.", "Say the word in upper case.", "Give the last letter of the word."];
var adapters = new List<string>();
for (var i = 0; i < 32; i++)
{
    // 32 distinct descriptions, so 32 distinct adapters.
    using var created = await http.PostAsJsonAsync("/v1/adapters", new { description = $"{tasks[i % tasks.Length]} (variant {i})" });
    created.EnsureSuccessStatusCode();
    adapters.Add((await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!);
}

async Task<(double Seconds, int Tokens)> Ask(string adapter, string word)
{
    var clock = Stopwatch.StartNew();
    using var response = await http.PostAsJsonAsync("/v1/chat/completions", new
    {
        model = adapter, messages = new[] { new { role = "user", content = word } }, max_tokens = maxTokens,
    });
    response.EnsureSuccessStatusCode();
    var body = await response.Content.ReadFromJsonAsync<JsonElement>();
    return (clock.Elapsed.TotalSeconds, body.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
}

await Ask(adapters[0], "warm"); // warm-up
Console.WriteLine($"requests per client {perClient}, max_tokens {maxTokens}, greedy, torch threads {TorchSharp.torch.get_num_threads()}, load average {File.ReadAllText("/proc/loadavg").Trim()}");
Console.WriteLine("| clients | mode | requests | tokens | wall s | tokens/s | p50 ms | p95 ms | concurrent / sequential |");
Console.WriteLine("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
foreach (var clients in new[] { 1, 8, 32 })
{
    var work = Enumerable.Range(0, clients).Select(c => Enumerable.Range(0, perClient).Select(r => (adapters[c], words[(c + r) % words.Length])).ToList()).ToList();

    var sequentialClock = Stopwatch.StartNew();
    var sequential = new List<(double Seconds, int Tokens)>();
    foreach (var (adapter, word) in work.SelectMany(w => w))
    {
        sequential.Add(await Ask(adapter, word));
    }

    var sequentialWall = sequentialClock.Elapsed.TotalSeconds;

    var concurrentClock = Stopwatch.StartNew();
    var perClientResults = await Task.WhenAll(work.Select(async list =>
    {
        var results = new List<(double Seconds, int Tokens)>();
        foreach (var (adapter, word) in list)
        {
            results.Add(await Ask(adapter, word));
        }

        return results;
    }));
    var concurrentWall = concurrentClock.Elapsed.TotalSeconds;
    var concurrent = perClientResults.SelectMany(r => r).ToList();

    var sequentialRate = sequential.Sum(r => r.Tokens) / sequentialWall;
    var concurrentRate = concurrent.Sum(r => r.Tokens) / concurrentWall;
    Row(clients, "sequential", sequential, sequentialWall, "");
    Row(clients, "concurrent", concurrent, concurrentWall, (concurrentRate / sequentialRate).ToString("F2", CultureInfo.InvariantCulture) + "×");
}

Console.WriteLine($"load average after: {File.ReadAllText("/proc/loadavg").Trim()}");
await app.StopAsync();

static void Row(int clients, string mode, List<(double Seconds, int Tokens)> results, double wall, string ratio)
{
    var latencies = results.Select(r => r.Seconds * 1000).Order().ToList();
    double Percentile(double p) => latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(p * latencies.Count) - 1)];
    var tokens = results.Sum(r => r.Tokens);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {clients} | {mode} | {results.Count} | {tokens} | {wall:F2} | {tokens / wall:F1} | {Percentile(0.5):F0} | {Percentile(0.95):F0} | {ratio} |"));
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
