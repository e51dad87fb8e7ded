using System.Globalization;
using Text2Lora.TaskSuite.Descriptions;
using Text2Lora.TaskSuite.Inputs;
using Text2Lora.TaskSuite.Tasks;

namespace Text2Lora.TaskSuite.Generation;

/// <summary>
/// Builds the suite in memory: for every task, distinct test inputs first, then distinct train inputs that are
/// not test inputs, each mapped through the task's rule, and the task's hand-written descriptions.
/// Pure and deterministic: the same code and descriptions always give the same suite.
/// </summary>
public static class SuiteGenerator
{
    /// <summary>Generates every task of <see cref="TaskCatalog"/>, validated.</summary>
    public static IReadOnlyList<GeneratedTask> Generate() => Generate(TaskCatalog.All(), DescriptionCatalog.Load());

    /// <summary>Generates <paramref name="specs"/> with <paramref name="descriptions"/> (task name → descriptions), validated.</summary>
    public static IReadOnlyList<GeneratedTask> Generate(IReadOnlyList<TaskSpec> specs, IReadOnlyDictionary<string, IReadOnlyList<string>> descriptions)
    {
        ArgumentNullException.ThrowIfNull(specs);
        ArgumentNullException.ThrowIfNull(descriptions);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var spec in specs)
        {
            if (!names.Add(spec.Name))
            {
                throw new InvalidOperationException($"Task name '{spec.Name}' is used twice.");
            }
        }

        var orphans = descriptions.Keys.Where(k => !names.Contains(k)).Order(StringComparer.Ordinal).ToList();
        if (orphans.Count > 0)
        {
            throw new InvalidOperationException($"Descriptions for unknown tasks: {string.Join(", ", orphans)}.");
        }

        return [.. specs.Select(spec => GenerateTask(spec, descriptions.TryGetValue(spec.Name, out var d) ? d : [], SuiteSettings.Seed, SuiteSettings.MinDescriptions))];
    }

    /// <summary>
    /// Generates one task: its descriptions are validated (distinct, one line, at least <paramref name="minDescriptions"/>),
    /// its inputs drawn from the stream <c>SuiteRandom.ForStream(seed, spec.Name)</c>. An input whose example is in
    /// <paramref name="reserved"/> is never used (suite v2 keeps every held-out example out of the training files this way).
    /// </summary>
    public static GeneratedTask GenerateTask(TaskSpec spec, IReadOnlyList<string> descriptions, ulong seed, int minDescriptions, IReadOnlySet<TaskExample>? reserved = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(descriptions);
        ValidateDescriptions(spec.Name, descriptions, minDescriptions);
        var random = SuiteRandom.ForStream(seed, spec.Name);
        Func<string, bool> allowed = reserved is null ? _ => true : input => !reserved.Contains(new TaskExample(input, spec.Rule(input)));
        var (testInputs, trainInputs) = spec.Inputs.All is { } all
            ? PartitionFinite(reserved is null ? all : [.. all.Where(allowed)], spec, random)
            : SampleDistinct(spec.Inputs, spec, random, allowed);
        var test = testInputs.Select(i => Example(spec, i)).ToList();
        var train = trainInputs.Select(i => Example(spec, i)).ToList();
        return new GeneratedTask(spec, descriptions, train, test);
    }

    private static (List<string> Test, List<string> Train) PartitionFinite(IReadOnlyList<string> all, TaskSpec spec, SuiteRandom random)
    {
        if (all.Count <= spec.TestSize)
        {
            throw new InvalidOperationException($"Task '{spec.Name}': {all.Count} possible inputs leave none for training after {spec.TestSize} test inputs.");
        }

        var shuffled = all.ToList();
        random.Shuffle(shuffled);
        return (shuffled.Take(spec.TestSize).ToList(), shuffled.Skip(spec.TestSize).Take(spec.TrainSize).ToList());
    }

    private static (List<string> Test, List<string> Train) SampleDistinct(InputSource source, TaskSpec spec, SuiteRandom random, Func<string, bool> allowed)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var test = Draw(spec.TestSize);
        var train = Draw(spec.TrainSize);
        return (test, train);

        List<string> Draw(int count)
        {
            var drawn = new List<string>(count);
            var budget = 1000 * count;
            while (drawn.Count < count)
            {
                if (budget-- == 0)
                {
                    throw new InvalidOperationException($"Task '{spec.Name}': could not draw {count} distinct inputs; the input space is too small.");
                }

                var input = source.Sampler!(random);
                if (seen.Add(input) && allowed(input))
                {
                    drawn.Add(input);
                }
            }

            return drawn;
        }
    }

    private static TaskExample Example(TaskSpec spec, string input)
    {
        var output = spec.Rule(input);
        if (string.IsNullOrWhiteSpace(output) || output.Contains('\n', StringComparison.Ordinal) || output != output.Trim())
        {
            throw new InvalidOperationException($"Task '{spec.Name}': output '{output}' for input '{input}' is empty, multi-line or padded.");
        }

        if (spec.Labels.Count > 0 && !spec.Labels.Contains(output, StringComparer.Ordinal))
        {
            throw new InvalidOperationException($"Task '{spec.Name}': output '{output}' is not one of its labels.");
        }

        if (spec.Scoring == TaskScoring.Numeric && !int.TryParse(output, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
        {
            throw new InvalidOperationException($"Task '{spec.Name}' is scored numerically but output '{output}' is not an integer.");
        }

        return new TaskExample(input, output);
    }

    private static void ValidateDescriptions(string task, IReadOnlyList<string> descriptions, int minDescriptions)
    {
        if (descriptions.Distinct(StringComparer.Ordinal).Count() != descriptions.Count)
        {
            throw new InvalidOperationException($"Task '{task}' has a repeated description.");
        }

        if (descriptions.Count < minDescriptions)
        {
            throw new InvalidOperationException($"Task '{task}' has {descriptions.Count} descriptions; at least {minDescriptions} are required.");
        }

        var bad = descriptions.FirstOrDefault(d => string.IsNullOrWhiteSpace(d) || d != d.Trim() || d.Contains('\n', StringComparison.Ordinal));
        if (bad is not null)
        {
            throw new InvalidOperationException($"Task '{task}': description '{bad}' is empty, padded or spans several lines.");
        }
    }
}
