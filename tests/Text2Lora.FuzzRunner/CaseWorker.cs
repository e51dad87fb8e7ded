using Text2Lora.IO;
using Text2Lora.Lora;

namespace Text2Lora.FuzzRunner;

/// <summary>
/// The child-process side: builds cases <c>[from, to)</c> of one format, reads each and writes one line per case to
/// stdout (<c>B i</c> before, <c>E i outcome detail</c> after), so the parent can tell which case a crash or hang hit.
/// </summary>
internal static class CaseWorker
{
    public static int Run(FuzzFormat format, int seed, int from, int to, string workRoot)
    {
        // The library's own limit sits well below the parent's RSS limit: a file that implies more must be refused.
        InputLimits.MaxMemoryBytes = 512L << 20;
        var seedRoot = Path.Combine(workRoot, "seeds");
        FuzzFormats.PrepareGeneratedSeeds(seedRoot);
        for (var index = from; index < to; index++)
        {
            Console.Out.WriteLine($"B {index}");
            Console.Out.Flush();
            var caseDirectory = Path.Combine(workRoot, $"case-{index}");
            var (outcome, detail) = RunCase(format, seed, index, seedRoot, caseDirectory);
            Console.Out.WriteLine($"E {index} {outcome} {detail.ReplaceLineEndings(" ")}");
            Console.Out.Flush();
            TryDelete(caseDirectory);
        }

        return 0;
    }

    /// <summary>Writes case <paramref name="index"/> into <paramref name="caseDirectory"/> (for reproducing it) and returns which file was mutated.</summary>
    public static string BuildCase(FuzzFormat format, int seed, int index, string seedRoot, string caseDirectory)
    {
        var source = Directory.Exists(Path.Combine(seedRoot, format.SeedFolder)) ? Path.Combine(seedRoot, format.SeedFolder) : Path.Combine(FuzzFormats.Seeds, format.SeedFolder);
        Directory.CreateDirectory(caseDirectory);
        foreach (var file in Directory.GetFiles(source))
        {
            File.Copy(file, Path.Combine(caseDirectory, Path.GetFileName(file)), overwrite: true);
        }

        // One generator per (seed, case): any case can be rebuilt alone.
        // (HashCode.Combine is randomized per process, so it must not take part: repro and campaign must agree.)
        var random = new Random(unchecked((seed * 1_000_003) + (index * 7_919) + format.Name.Length));
        var (target, mutate) = format.Targets[random.Next(format.Targets.Count)];
        var path = Path.Combine(caseDirectory, target);
        File.WriteAllBytes(path, mutate(random, File.ReadAllBytes(path)));
        return target;
    }

    private static (Outcome Outcome, string Detail) RunCase(FuzzFormat format, int seed, int index, string seedRoot, string caseDirectory)
    {
        string target;
        try
        {
            target = BuildCase(format, seed, index, seedRoot, caseDirectory);
        }
        catch (Exception ex)
        {
            // The mutator could not build this case (e.g. the seed itself is damaged): counted, never hidden.
            return (Outcome.Untyped, $"mutator: {ex.GetType().Name}: {ex.Message}");
        }

        try
        {
            format.Read(caseDirectory);
            return (Outcome.Accepted, target);
        }
        catch (InconsistentResultException ex)
        {
            return (Outcome.Inconsistent, $"{target}: {ex.Message}");
        }
        catch (Exception ex) when (IsTyped(ex))
        {
            return (Outcome.Typed, $"{target}: {ex.GetType().Name}");
        }
        catch (OutOfMemoryException ex)
        {
            return (Outcome.OverMemory, $"{target}: {ex.Message}");
        }
        catch (Exception ex)
        {
            return (Outcome.Untyped, $"{target}: {ex.GetType().FullName}: {ex.Message} @ {FirstFrame(ex)}");
        }
    }

    /// <summary>The documented bad-input family (what the CLI maps to exit code 3).</summary>
    internal static bool IsTyped(Exception ex) =>
        ex is InvalidFileFormatException or UnsupportedAdapterException or FileNotFoundException or DirectoryNotFoundException;

    private static string FirstFrame(Exception ex) =>
        ex.StackTrace?.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Contains("Text2Lora", StringComparison.Ordinal)) ?? "?";

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
