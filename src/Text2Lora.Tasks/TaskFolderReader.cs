using System.Text.Json;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Text2Lora.Tasks;

/// <summary>
/// Reads task folders: <c>metadata.yaml</c> with a <c>descriptions:</c> list (the T2L reference's
/// <c>tasks/&lt;name&gt;/metadata.yaml</c>) and <c>train.jsonl</c> / <c>test.jsonl</c> with one
/// <c>{"input": ..., "output": ...}</c> object per line.
/// </summary>
public static class TaskFolderReader
{
    /// <summary>Descriptions file.</summary>
    public const string MetadataFileName = "metadata.yaml";

    /// <summary>Training examples file (required).</summary>
    public const string TrainFileName = "train.jsonl";

    /// <summary>Held-out examples file (optional).</summary>
    public const string TestFileName = "test.jsonl";

    /// <summary>Reads every task named in <paramref name="taskNames"/> under <paramref name="root"/>.</summary>
    public static IReadOnlyList<TrainingTask> ReadTasks(string root, IEnumerable<string> taskNames) =>
        taskNames.Select(name => ReadTask(Path.Combine(root, name))).ToList();

    /// <summary>Reads one task folder.</summary>
    /// <exception cref="TaskDataFormatException">The folder or a required file is missing, or a file is malformed.</exception>
    public static TrainingTask ReadTask(string taskDirectory)
    {
        if (!Directory.Exists(taskDirectory))
        {
            throw new TaskDataFormatException(taskDirectory, "the task folder does not exist");
        }

        string testPath = Path.Combine(taskDirectory, TestFileName);
        var metadata = ReadMetadata(Path.Combine(taskDirectory, MetadataFileName));
        return new TrainingTask(
            Path.GetFileName(Path.TrimEndingDirectorySeparator(taskDirectory)),
            metadata.Descriptions,
            ReadExamples(Path.Combine(taskDirectory, TrainFileName)),
            File.Exists(testPath) ? ReadExamples(testPath) : [])
        {
            Scoring = metadata.Scoring,
            Family = metadata.Family,
        };
    }

    /// <summary>The <c>descriptions:</c> list of a <c>metadata.yaml</c>; other keys are ignored.</summary>
    public static IReadOnlyList<string> ReadDescriptions(string metadataPath) => ReadMetadata(metadataPath).Descriptions;

    /// <summary>
    /// The keys of a <c>metadata.yaml</c> this project uses: <c>descriptions:</c> (required, a non-empty list),
    /// <c>scoring:</c> (optional: <c>exact</c> or <c>numeric</c>) and <c>family:</c> (optional).
    /// Other keys are ignored.
    /// </summary>
    /// <exception cref="TaskDataFormatException">The file is missing or malformed, or a key has an invalid value; names the file and line.</exception>
    public static TaskMetadata ReadMetadata(string metadataPath)
    {
        if (!File.Exists(metadataPath))
        {
            throw new TaskDataFormatException(metadataPath, "the file does not exist");
        }

        var yaml = new YamlStream();
        try
        {
            using var reader = new StreamReader(metadataPath);
            yaml.Load(reader);
        }
        catch (YamlException ex)
        {
            throw new TaskDataFormatException(metadataPath, $"corrupt YAML: {ex.Message}", (int)ex.Start.Line, ex);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            // YamlDotNet's node model reports a key given twice in one mapping as ArgumentException, and some damaged
            // documents as InvalidOperationException ("not valid due to the current state"; fuzzing, task-folder seed 13).
            throw new TaskDataFormatException(metadataPath, $"corrupt YAML: {ex.Message}", null, ex);
        }

        if (yaml.Documents.Count == 0 || yaml.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new TaskDataFormatException(metadataPath, "the top level is not a mapping");
        }

        if (!root.Children.TryGetValue(new YamlScalarNode("descriptions"), out YamlNode? node) || node is not YamlSequenceNode list)
        {
            throw new TaskDataFormatException(metadataPath, "'descriptions' is missing or not a list");
        }

        var descriptions = new List<string>();
        foreach (YamlNode item in list)
        {
            if (item is not YamlScalarNode { Value: { } text } || string.IsNullOrWhiteSpace(text))
            {
                throw new TaskDataFormatException(metadataPath, "'descriptions' holds an entry that is not a non-empty string", (int)item.Start.Line);
            }

            descriptions.Add(text);
        }

        if (descriptions.Count == 0)
        {
            throw new TaskDataFormatException(metadataPath, "'descriptions' is empty");
        }

        TaskScoring? scoring = null;
        if (root.Children.TryGetValue(new YamlScalarNode("scoring"), out YamlNode? scoringNode))
        {
            scoring = scoringNode is YamlScalarNode { Value: "exact" } ? TaskScoring.Exact
                : scoringNode is YamlScalarNode { Value: "numeric" } ? TaskScoring.Numeric
                : throw new TaskDataFormatException(metadataPath, "'scoring' must be 'exact' or 'numeric'", (int)scoringNode.Start.Line);
        }

        string? family = root.Children.TryGetValue(new YamlScalarNode("family"), out YamlNode? familyNode)
            ? familyNode is YamlScalarNode { Value: { Length: > 0 } name } ? name
                : throw new TaskDataFormatException(metadataPath, "'family' must be a non-empty string", (int)familyNode.Start.Line)
            : null;
        return new TaskMetadata(descriptions, scoring, family);
    }

    /// <summary>Reads a JSONL file of examples; blank lines are skipped.</summary>
    public static IReadOnlyList<TaskExample> ReadExamples(string jsonlPath)
    {
        if (!File.Exists(jsonlPath))
        {
            throw new TaskDataFormatException(jsonlPath, "the file does not exist");
        }

        var examples = new List<TaskExample>();
        int lineNumber = 0;
        foreach (string line in File.ReadLines(jsonlPath))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            examples.Add(ParseExample(line, jsonlPath, lineNumber));
        }

        return examples;
    }

    private static TaskExample ParseExample(string line, string path, int lineNumber)
    {
        JsonElement root;
        try
        {
            using JsonDocument document = JsonDocument.Parse(line, new JsonDocumentOptions { AllowDuplicateProperties = false });
            root = document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new TaskDataFormatException(path, $"malformed JSON: {ex.Message}", lineNumber, ex);
        }

        return new TaskExample(Field(root, "input", path, lineNumber), Field(root, "output", path, lineNumber));
    }

    private static string Field(JsonElement root, string name, string path, int lineNumber) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new TaskDataFormatException(path, $"'{name}' is missing or not a string", lineNumber);
}
