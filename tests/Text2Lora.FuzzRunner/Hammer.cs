using System.Diagnostics;
using Text2Lora.Abstractions;
using Text2Lora.Encoders;
using Text2Lora.Hypernetworks.Checkpoints;
using Text2Lora.LoraGeneration;
using Text2Lora.Models.Llama;
using Text2Lora.TextGeneration;
using Text2Lora.Tokenization;

namespace Text2Lora.FuzzRunner;

/// <summary>
/// Dispose-during-use trials (issue 14: disposing a generator while other threads called it crashed the process).
/// Per round, several threads call the target in a loop while the main thread disposes it (or, for the generator,
/// one of its parts) at a random moment once every thread is inside its calls. Every call must either succeed or throw
/// <see cref="ObjectDisposedException"/>; a thread stops at its first one. Run as its own process (the <c>hammer</c>
/// command) so a native crash shows as an exit code instead of killing the caller.
/// </summary>
internal static class Hammer
{
    public static readonly string[] Targets = ["generator", "minilm", "gte", "model"];

    public static int Run(string target, int rounds, int threads, int seed)
    {
        var random = new Random(seed);
        var (calls, disposed, other) = (0L, 0L, 0L);
        var clock = Stopwatch.StartNew();
        for (var round = 0; round < rounds; round++)
        {
            var (c, d, o) = RunRound(target, round, threads, random.Next(0, 40));
            calls += c;
            disposed += d;
            other += o;
        }

        Console.WriteLine($"hammer {target}: rounds {rounds}, threads {threads}, calls {calls}, ObjectDisposedException {disposed}, other {other}, {clock.Elapsed.TotalSeconds:F1} s");
        return other == 0 && disposed == (long)rounds * threads ? 0 : 1;
    }

    private static (long Calls, long Disposed, long Other) RunRound(string target, int round, int threads, int delayMs)
    {
        var seeds = FuzzFormats.Seeds;
        var resources = new List<IDisposable>();
        Action call;
        IDisposable victim;
        switch (target)
        {
            case "generator":
            {
                var model = LlamaFamilyModel.Load(Path.Combine(seeds, "llama-model"));
                var tokenizer = TokenizerLoader.Load(Path.Combine(seeds, "stories260k"));
                var hypernetwork = HypernetworkCheckpoint.Load(Path.Combine(seeds, "M_sft"), Path.Combine(seeds, "llama-model"));
                var generator = new LoraGenerator(new BaseModelTaskEncoder(model, tokenizer), hypernetwork);
                resources.AddRange([generator, hypernetwork, model]);
                call = () => generator.FromDescription("Answer questions about rivers and mountains.").Dispose();
                // Rotate which part goes first: the generator itself, its hypernetwork, or the base model its encoder runs.
                victim = resources[round % resources.Count];
                break;
            }

            case "minilm":
            {
                var encoder = new MiniLmTaskEncoder();
                resources.Add(encoder);
                call = () => encoder.Encode(["Answer questions about rivers and mountains.", "Translate short sentences."]).Dispose();
                victim = encoder;
                break;
            }

            case "gte":
            {
                var encoder = GteTaskEncoder.Load(Path.Combine(seeds, "gte"));
                resources.Add(encoder);
                call = () => encoder.Encode(["Answer questions about rivers and mountains.", "Translate short sentences."]).Dispose();
                victim = encoder;
                break;
            }

            case "model":
            {
                var model = LlamaFamilyModel.Load(Path.Combine(seeds, "stories260k-model"));
                resources.Add(model);
                call = () => model.Generate([[1, 403, 407, 261, 378]], new GenerationOptions { MaxNewTokens = 24 }).Dispose();
                victim = model;
                break;
            }

            default:
                throw new ArgumentException($"Unknown hammer target '{target}'; known: {string.Join(", ", Targets)}.");
        }

        var (calls, disposed, other) = (0L, 0L, 0L);
        using var started = new CountdownEvent(threads);
        var workers = Enumerable.Range(0, threads).Select(_ => new Thread(() =>
        {
            var first = true;
            while (true)
            {
                try
                {
                    call();
                    Interlocked.Increment(ref calls);
                }
                catch (ObjectDisposedException)
                {
                    Interlocked.Increment(ref disposed);
                    break;
                }
                catch (Exception ex)
                {
                    Interlocked.Increment(ref other);
                    Console.WriteLine($"round {round}: {ex.GetType().FullName}: {ex.Message}");
                    break;
                }
                finally
                {
                    if (first)
                    {
                        first = false;
                        started.Signal();
                    }
                }
            }
        })).ToList();
        workers.ForEach(w => w.Start());
        started.Wait(TimeSpan.FromSeconds(60));
        Thread.Sleep(delayMs);
        victim.Dispose();
        workers.ForEach(w => w.Join());
        foreach (var resource in resources)
        {
            resource.Dispose(); // a second Dispose is a no-op
        }

        return (calls, disposed, other);
    }
}
