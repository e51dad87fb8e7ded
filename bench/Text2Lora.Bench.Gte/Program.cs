using System.Diagnostics;
using System.Globalization;
using Text2Lora.Bench.Gte;
using TorchSharp;

// One command: `dotnet run -c Release --project bench/Text2Lora.Bench.Gte [-- gte|e2e]` (docs/benchmarks.md, "gte
// encoder"). The parent writes a random gte-large-en-v1.5-shaped checkpoint and a random T2L M hypernetwork for
// Mistral-7B shapes; fresh child processes measure (1) the encoder, in float32 and then bfloat16: peak RSS while
// loading, one 32-token description, a batch of 16; (2) end to end (float32): description → PEFT folder on disk, split into encode / hypernetwork / write.
var mode = args.Length > 0 ? args[0] : "all";
switch (mode)
{
    case "all" or "gte" or "e2e":
        var gte = GteCheckpoint.Write();
        var hypernetwork = mode == "gte" ? null : MistralHypernetwork.Write();
        try
        {
            if (mode != "e2e")
            {
                RunChild($"encoder-child \"{gte}\" Float32");
                RunChild($"encoder-child \"{gte}\" BFloat16");
            }

            if (hypernetwork is not null)
            {
                RunChild($"e2e-child \"{gte}\" \"{hypernetwork}\"");
            }
        }
        finally
        {
            Directory.Delete(gte, recursive: true);
            if (hypernetwork is not null)
            {
                Directory.Delete(hypernetwork, recursive: true);
            }
        }

        return 0;
    case "encoder-child":
        Prepare();
        EncoderBenchmark.Run(args[1], Enum.Parse<torch.ScalarType>(args[2]));
        return 0;
    case "e2e-child":
        Prepare();
        EndToEndBenchmark.Run(args[1], args[2], iterations: 10);
        return 0;
    default:
        Console.Error.WriteLine("usage: Text2Lora.Bench.Gte [all|gte|e2e]");
        return 2;
}

static void Prepare()
{
    Text2Lora.Runtime.TorchRuntime.EnsureAvailable();
    if (Environment.GetEnvironmentVariable("T2L_BENCH_THREADS") is { } threads)
    {
        torch.set_num_threads(int.Parse(threads, CultureInfo.InvariantCulture));
    }

    using (var warm = torch.ones(8).add(1))
    {
    }
}

static void RunChild(string childMode)
{
    var start = new ProcessStartInfo(Environment.ProcessPath!, string.Create(CultureInfo.InvariantCulture, $"\"{typeof(GteCheckpoint).Assembly.Location}\" {childMode}"))
    {
        UseShellExecute = false,
    };
    if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) != "dotnet")
    {
        start.Arguments = childMode;
    }

    using var process = Process.Start(start)!;
    process.WaitForExit();
}
