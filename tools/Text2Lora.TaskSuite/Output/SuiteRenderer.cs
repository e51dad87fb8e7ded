using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Text2Lora.TaskSuite.Generation;
using Text2Lora.TaskSuite.Tasks;
using YamlDotNet.Serialization;

namespace Text2Lora.TaskSuite.Output;

/// <summary>
/// Turns the generated suite into file contents (relative path → UTF-8 text with LF line endings):
/// <c>&lt;task&gt;/metadata.yaml</c>, <c>&lt;task&gt;/train.jsonl</c>, <c>&lt;task&gt;/test.jsonl</c>, <c>suite.yaml</c>, <c>README.md</c>.
/// </summary>
public static class SuiteRenderer
{
    /// <summary>The command that regenerates the committed v1 folder (written into the manifest and README).</summary>
    public static string RegenerateCommand => SuiteEdition.V1.RegenerateCommand;

    private static readonly ISerializer Yaml = new SerializerBuilder()
        .ConfigureDefaultValuesHandling(DefaultValuesHandling.OmitNull)
        .Build();

    private static readonly JsonWriterOptions JsonOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    /// <summary>All files of the v1 suite folder, keyed by '/'-separated relative path, in ordinal order.</summary>
    public static SortedDictionary<string, string> Render(IReadOnlyList<GeneratedTask> tasks) => Render(tasks, SuiteEdition.V1);

    /// <summary>All files of the suite folder of <paramref name="edition"/>, keyed by '/'-separated relative path, in ordinal order.</summary>
    public static SortedDictionary<string, string> Render(IReadOnlyList<GeneratedTask> tasks, SuiteEdition edition)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        ArgumentNullException.ThrowIfNull(edition);
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var task in tasks)
        {
            files[$"{task.Spec.Name}/metadata.yaml"] = RenderMetadata(task);
            files[$"{task.Spec.Name}/train.jsonl"] = RenderJsonLines(task.Train);
            files[$"{task.Spec.Name}/test.jsonl"] = RenderJsonLines(task.Test);
        }

        var grouped = tasks.Any(t => t.Spec.HeldoutGroup is not null);
        files["suite.yaml"] = ToYaml(new SuiteManifest
        {
            Name = edition.Name,
            FormatVersion = edition.FormatVersion,
            Seed = edition.Seed,
            Generator = edition.RegenerateCommand,
            Train = Names(tasks, t => t.Split == TaskSplit.Train),
            Heldout = Names(tasks, t => t.Split == TaskSplit.Heldout),
            HeldoutInterpolation = grouped ? Names(tasks, t => t.Split == TaskSplit.Heldout && t.HeldoutGroup == HeldoutGroups.Interpolation) : null,
            HeldoutNewFamily = grouped ? Names(tasks, t => t.Split == TaskSplit.Heldout && t.HeldoutGroup == HeldoutGroups.NewFamily) : null,
            Validation = grouped ? Names(tasks, t => t.Split == TaskSplit.Validation) : null,
            Pretraining = edition.PretrainingFiles.Count > 0 ? [.. edition.PretrainingFiles] : null,
        });
        files["README.md"] = ReadmeRenderer.Render(tasks, files, edition);
        return files;
    }

    /// <summary>The YAML name of a split.</summary>
    public static string SplitName(TaskSplit split) => split switch
    {
        TaskSplit.Train => "train",
        TaskSplit.Heldout => "heldout",
        _ => "validation",
    };

    /// <summary>The YAML name of a scoring kind.</summary>
    public static string ScoringName(TaskScoring scoring) => scoring == TaskScoring.Exact ? "exact" : "numeric";

    private static string RenderMetadata(GeneratedTask task) => ToYaml(new TaskMetadata
    {
        Name = task.Spec.Name,
        Family = task.Spec.Family,
        Split = SplitName(task.Spec.Split),
        Scoring = ScoringName(task.Spec.Scoring),
        HeldoutGroup = task.Spec.HeldoutGroup,
        Summary = task.Spec.Summary,
        Parameters = task.Spec.Parameters is { } parameters ? new SortedDictionary<string, string>(parameters.ToDictionary(), StringComparer.Ordinal) : null,
        Labels = task.Spec.Labels.Count > 0 ? [.. task.Spec.Labels] : null,
        RelatedTo = task.Spec.RelatedTo.Count > 0 ? [.. task.Spec.RelatedTo] : null,
        TrainExamples = task.Train.Count,
        TestExamples = task.Test.Count,
        Descriptions = [.. task.Descriptions],
    });

    private static List<string> Names(IReadOnlyList<GeneratedTask> tasks, Func<TaskSpec, bool> predicate) =>
        [.. tasks.Where(t => predicate(t.Spec)).Select(t => t.Spec.Name)];

    /// <summary>One <c>{"input": ..., "output": ...}</c> object per line (the suite's JSONL format).</summary>
    public static string RenderJsonLines(IReadOnlyList<TaskExample> examples)
    {
        using var buffer = new MemoryStream();
        foreach (var example in examples)
        {
            using (var writer = new Utf8JsonWriter(buffer, JsonOptions))
            {
                writer.WriteStartObject();
                writer.WriteString("input", example.Input);
                writer.WriteString("output", example.Output);
                writer.WriteEndObject();
            }

            buffer.WriteByte((byte)'\n');
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string ToYaml(object value)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        Yaml.Serialize(writer, value);
        return writer.ToString();
    }
}
