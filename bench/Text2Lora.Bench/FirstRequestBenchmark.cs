using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Text2Lora.Chat;
using Text2Lora.DependencyInjection;

namespace Text2Lora.Bench;

/// <summary>
/// First-request latency of a Generic Host app (<c>AddText2Lora(...).AddChatClient()</c>, committed tiny models) with
/// and without <c>WarmUp()</c>. Each run is a fresh process (lazy loading and JIT are per process); the parent
/// alternates the two variants so both see the same machine load.
/// </summary>
internal static class FirstRequestBenchmark
{
    private const string Description = "Give the first letter of the word.";

    /// <summary>Runs <paramref name="rounds"/> interleaved pairs of child processes and prints the medians.</summary>
    public static void Run(Func<string, string> runChild, int rounds)
    {
        var results = new Dictionary<string, List<double[]>> { ["off"] = [], ["on"] = [] };
        for (var round = 0; round < rounds; round++)
        {
            foreach (var variant in new[] { "off", "on" })
            {
                var line = runChild($"first-request-child {variant}").Trim().Split('\n')[^1];
                results[variant].Add([.. line.Split(' ').Select(v => double.Parse(v, CultureInfo.InvariantCulture))]);
            }
        }

        Console.WriteLine($"| warm-up | host start ms | first request ms | second request ms |  (median of {rounds} fresh processes each)");
        Console.WriteLine("| --- | ---: | ---: | ---: |");
        foreach (var (variant, runs) in results)
        {
            string Median(int column) => runs.Select(r => r[column]).Order().ElementAt(runs.Count / 2).ToString("F0", CultureInfo.InvariantCulture);
            Console.WriteLine($"| {variant} | {Median(0)} | {Median(1)} | {Median(2)} |");
        }
    }

    /// <summary>One fresh process: start the host, time the first and the second request; prints "start first second" (ms).</summary>
    public static async Task RunChildAsync(bool warmUp)
    {
        var root = RepositoryRoot();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var text2Lora = builder.Services.AddText2Lora(o =>
        {
            o.HypernetworkDirectory = Path.Combine(root, "models/t2l-tiny-recon");
            o.BaseModelDirectory = Path.Combine(root, "models/t2l-tiny-base");
        }).AddChatClient();
        if (warmUp)
        {
            text2Lora.WarmUp();
        }

        using var host = builder.Build();
        var clock = Stopwatch.StartNew();
        await host.StartAsync().ConfigureAwait(false);
        var start = clock.Elapsed.TotalMilliseconds;

        var chat = host.Services.GetRequiredService<IChatClient>();
        double Request(string input)
        {
            clock.Restart();
            chat.GetResponseAsync(input, new ChatOptions { MaxOutputTokens = 12 }.WithTaskDescription(Description)).GetAwaiter().GetResult();
            return clock.Elapsed.TotalMilliseconds;
        }

        var first = Request("donkey");
        var second = Request("umbrella");
        await host.StopAsync().ConfigureAwait(false);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{start:F1} {first:F1} {second:F1}"));
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Text2Lora.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Run the benchmark from a build inside the repository (models/ is needed).");
    }
}
