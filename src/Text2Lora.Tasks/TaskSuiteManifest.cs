using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Text2Lora.Tasks;

/// <summary>
/// The manifest <c>suite.yaml</c> of a task suite folder (<c>data/task-suite</c>): which task folders are training
/// tasks and which are held out. Other keys are ignored.
/// </summary>
/// <param name="Train">The <c>train:</c> task names, in file order.</param>
/// <param name="Heldout">The <c>heldout:</c> task names, in file order (empty when absent).</param>
public sealed record TaskSuiteManifest(IReadOnlyList<string> Train, IReadOnlyList<string> Heldout)
{
    /// <summary>The manifest's file name inside the suite folder.</summary>
    public const string FileName = "suite.yaml";

    /// <summary>Reads <c>suite.yaml</c> of <paramref name="suiteDirectory"/>.</summary>
    /// <exception cref="TaskDataFormatException">The file is missing or malformed, or <c>train:</c> is missing or empty.</exception>
    public static TaskSuiteManifest Read(string suiteDirectory)
    {
        var path = Path.Combine(suiteDirectory, FileName);
        if (!File.Exists(path))
        {
            throw new TaskDataFormatException(path, "the file does not exist");
        }

        var yaml = new YamlStream();
        try
        {
            using var reader = new StreamReader(path);
            yaml.Load(reader);
        }
        catch (YamlException ex)
        {
            throw new TaskDataFormatException(path, $"corrupt YAML: {ex.Message}", (int)ex.Start.Line, ex);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            // YamlDotNet's node model reports a key given twice in one mapping as ArgumentException, and some damaged
            // documents as InvalidOperationException ("not valid due to the current state"; fuzzing, task-folder seed 13).
            throw new TaskDataFormatException(path, $"corrupt YAML: {ex.Message}", null, ex);
        }

        if (yaml.Documents.Count == 0 || yaml.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new TaskDataFormatException(path, "the top level is not a mapping");
        }

        var train = Names(root, "train", path) ?? throw new TaskDataFormatException(path, "'train' is missing");
        return train.Count == 0
            ? throw new TaskDataFormatException(path, "'train' is empty")
            : new TaskSuiteManifest(train, Names(root, "heldout", path) ?? []);
    }

    private static List<string>? Names(YamlMappingNode root, string key, string path)
    {
        if (!root.Children.TryGetValue(new YamlScalarNode(key), out var node))
        {
            return null;
        }

        if (node is not YamlSequenceNode list)
        {
            throw new TaskDataFormatException(path, $"'{key}' is not a list", (int)node.Start.Line);
        }

        return list.Select(item => item is YamlScalarNode { Value: { Length: > 0 } name }
            ? name
            : throw new TaskDataFormatException(path, $"'{key}' holds an entry that is not a task name", (int)item.Start.Line)).ToList();
    }
}
