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
    /// <summary>The command that regenerates the committed folder (written into the manifest and README).</summary>
    public const string RegenerateCommand = "dotnet run --project tools/Text2Lora.TaskSuite -- --output data/task-suite";

    private static readonly ISerializer Yaml = new SerializerBuilder()
        .ConfigureDefaultValuesHandling(DefaultValuesHandling.OmitNull)
        .Build();

    private static readonly JsonWriterOptions JsonOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    /// <summary>All files of the suite folder, keyed by '/'-separated relative path, in ordinal order.</summary>
    public static SortedDictionary<string, string> Render(IReadOnlyList<GeneratedTask> tasks)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var task in tasks)
        {
            files[$"{task.Spec.Name}/metadata.yaml"] = RenderMetadata(task);
            files[$"{task.Spec.Name}/train.jsonl"] = RenderJsonLines(task.Train);
            files[$"{task.Spec.Name}/test.jsonl"] = RenderJsonLines(task.Test);
        }

        files["suite.yaml"] = ToYaml(new SuiteManifest
        {
            Name = "text2lora-task-suite",
            FormatVersion = SuiteSettings.FormatVersion,
            Seed = SuiteSettings.Seed,
            Generator = RegenerateCommand,
            Train = [.. tasks.Where(t => t.Spec.Split == TaskSplit.Train).Select(t => t.Spec.Name)],
            Heldout = [.. tasks.Where(t => t.Spec.Split == TaskSplit.Heldout).Select(t => t.Spec.Name)],
        });
        files["README.md"] = ReadmeRenderer.Render(tasks, files);
        return files;
    }

    /// <summary>The YAML name of a split.</summary>
    public static string SplitName(TaskSplit split) => split == TaskSplit.Train ? "train" : "heldout";

    /// <summary>The YAML name of a scoring kind.</summary>
    public static string ScoringName(TaskScoring scoring) => scoring == TaskScoring.Exact ? "exact" : "numeric";

    private static string RenderMetadata(GeneratedTask task) => ToYaml(new TaskMetadata
    {
        Name = task.Spec.Name,
        Family = task.Spec.Family,
        Split = SplitName(task.Spec.Split),
        Scoring = ScoringName(task.Spec.Scoring),
        Summary = task.Spec.Summary,
        Labels = task.Spec.Labels.Count > 0 ? [.. task.Spec.Labels] : null,
        RelatedTo = task.Spec.RelatedTo.Count > 0 ? [.. task.Spec.RelatedTo] : null,
        TrainExamples = task.Train.Count,
        TestExamples = task.Test.Count,
        Descriptions = [.. task.Descriptions],
    });

    private static string RenderJsonLines(IReadOnlyList<TaskExample> examples)
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
