using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Text2Lora.FuzzRunner;

/// <summary>Limits of a campaign's worker processes.</summary>
/// <param name="CaseTimeout">Longest a case may take before it counts as a hang.</param>
/// <param name="StartTimeout">Longest a fresh worker may take for its first case (runtime start, native load, seeds).</param>
/// <param name="RssLimitBytes">Resident memory above which the worker is killed and the case counts as over-memory.</param>
internal sealed record CampaignLimits(TimeSpan CaseTimeout, TimeSpan StartTimeout, long RssLimitBytes)
{
    public static CampaignLimits Default { get; } = new(TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(180), 3L << 30);
}

/// <summary>Outcome counts of one format's campaign and the cases that were not typed or accepted.</summary>
internal sealed record CampaignResult(string Format, int Seed, int Cases, IReadOnlyDictionary<Outcome, int> Counts, IReadOnlyList<string> Failures, TimeSpan Elapsed)
{
    public int Bad => Counts.Where(kv => kv.Key is not (Outcome.Typed or Outcome.Accepted)).Sum(kv => kv.Value);
}

/// <summary>
/// The parent side: runs cases in worker processes (this executable with <c>worker</c>), watches each case's time and
/// the worker's RSS, and after a crash, hang or memory blow-up records that case and restarts a worker on the next one.
/// </summary>
internal static class Campaign
{
    /// <summary>Cases between two progress lines in the log.</summary>
    private const int ProgressEvery = 500;

    public static CampaignResult Run(string format, int seed, int cases, CampaignLimits limits, TextWriter? log = null)
    {
        var counts = Enum.GetValues<Outcome>().ToDictionary(o => o, _ => 0);
        var failures = new List<string>();
        var work = Path.Combine(Path.GetTempPath(), $"t2l-fuzz-{format}-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        var clock = Stopwatch.StartNew();
        try
        {
            var next = 0;
            while (next < cases)
            {
                next = RunWorker(format, seed, next, cases, work, limits, counts, failures, log);
            }
        }
        finally
        {
            try
            {
                Directory.Delete(work, recursive: true);
            }
            catch (IOException)
            {
            }
        }

        return new CampaignResult(format, seed, cases, counts, failures, clock.Elapsed);
    }

    /// <summary>Runs one worker from case <paramref name="from"/>; returns the first case not yet recorded.</summary>
    private static int RunWorker(string format, int seed, int from, int to, string work, CampaignLimits limits,
        Dictionary<Outcome, int> counts, List<string> failures, TextWriter? log)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { typeof(Campaign).Assembly.Location, "worker", "--format", format, "--seed", seed.ToString(CultureInfo.InvariantCulture),
                     "--from", from.ToString(CultureInfo.InvariantCulture), "--to", to.ToString(CultureInfo.InvariantCulture), "--work", work })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start a fuzz worker");
        var lines = new BlockingCollection<string>();
        var reader = new Thread(() =>
        {
            while (process.StandardOutput.ReadLine() is { } line)
            {
                lines.Add(line);
            }

            lines.CompleteAdding();
        }) { IsBackground = true };
        reader.Start();
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();

        var current = from;
        var inCase = false;
        var caseClock = Stopwatch.StartNew();
        var firstCase = true;
        while (true)
        {
            if (lines.TryTake(out var line, 50))
            {
                var parts = line.Split(' ', 4);
                if (parts[0] == "B")
                {
                    current = int.Parse(parts[1], CultureInfo.InvariantCulture);
                    inCase = true;
                    caseClock.Restart();
                }
                else if (parts[0] == "E")
                {
                    var outcome = Enum.Parse<Outcome>(parts[2]);
                    counts[outcome]++;
                    if (outcome is not (Outcome.Typed or Outcome.Accepted))
                    {
                        Record(failures, log, $"{format} seed {seed} case {parts[1]}: {outcome}: {(parts.Length > 3 ? parts[3] : "")}");
                    }

                    current = int.Parse(parts[1], CultureInfo.InvariantCulture) + 1;
                    inCase = false;
                    firstCase = false;
                    if (current % ProgressEvery == 0)
                    {
                        // A campaign stopped early still leaves its figures so far.
                        log?.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"progress {format} seed {seed}: {counts.Values.Sum()} cases, {string.Join(", ", counts.Select(kv => $"{kv.Key} {kv.Value}"))}"));
                    }
                }

                continue;
            }

            if (lines.IsCompleted)
            {
                process.WaitForExit();
                if (current >= to && !inCase)
                {
                    return to;
                }

                // The worker died inside a case (native crash, stack overflow, abort): that case is untyped.
                counts[Outcome.Untyped]++;
                Record(failures, log, $"{format} seed {seed} case {current}: Untyped: worker exited with code {process.ExitCode}");
                return current + 1;
            }

            var timeout = firstCase ? limits.StartTimeout : limits.CaseTimeout;
            if (inCase && caseClock.Elapsed > timeout)
            {
                Kill(process);
                counts[Outcome.Hang]++;
                Record(failures, log, $"{format} seed {seed} case {current}: Hang: no answer within {timeout.TotalSeconds} s");
                return current + 1;
            }

            if (ResidentBytes(process) > limits.RssLimitBytes)
            {
                Kill(process);
                counts[Outcome.OverMemory]++;
                Record(failures, log, $"{format} seed {seed} case {current}: OverMemory: worker RSS above {limits.RssLimitBytes >> 20} MiB");
                return current + 1;
            }
        }
    }

    private static void Record(List<string> failures, TextWriter? log, string line)
    {
        log?.WriteLine(line);
        if (failures.Count < 200)
        {
            failures.Add(line);
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
        catch (InvalidOperationException)
        {
        }
    }

    /// <summary>VmRSS of the worker from <c>/proc</c> (0 where unavailable).</summary>
    private static long ResidentBytes(Process process)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{process.Id}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
        }

        return 0;
    }
}
