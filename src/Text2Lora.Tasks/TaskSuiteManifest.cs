using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Text2Lora.Tasks;

/// <summary>
/// The manifest <c>suite.yaml</c> of a task suite folder (<c>data/task-suite</c>): which task folders are training
/// tasks and which are held out. Suite v2 (<c>data/task-suite-v2</c>) adds the held-out groups
/// (<c>heldout_interpolation:</c>, <c>heldout_new_family:</c>, together exactly <c>heldout:</c>), <c>validation:</c>
/// tasks (for model selection only) and <c>pretraining:</c> corpus files; all optional. Other keys are ignored.
/// </summary>
/// <param name="Train">The <c>train:</c> task names, in file order.</param>
/// <param name="Heldout">The <c>heldout:</c> task names, in file order (empty when absent).</param>
public sealed record TaskSuiteManifest(IReadOnlyList<string> Train, IReadOnlyList<string> Heldout)
{
    /// <summary>The held-out tasks inside families the training tasks cover (unseen parameter values or combinations); empty when the suite does not group its held-out tasks.</summary>
    public IReadOnlyList<string> HeldoutInterpolation { get; init; } = [];

    /// <summary>The held-out tasks of kinds no training task is an instance of; empty when the suite does not group its held-out tasks.</summary>
    public IReadOnlyList<string> HeldoutNewFamily { get; init; } = [];

    /// <summary>Tasks kept out of training and test tables alike, for choosing between trained models (the <c>validation:</c> list; empty when absent).</summary>
    public IReadOnlyList<string> Validation { get; init; } = [];

    /// <summary>Generic pretraining corpus files (JSON lines of <c>input</c>/<c>output</c>), relative to the suite folder (the <c>pretraining:</c> list; empty when absent).</summary>
    public IReadOnlyList<string> Pretraining { get; init; } = [];

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
        if (train.Count == 0)
        {
            throw new TaskDataFormatException(path, "'train' is empty");
        }

        var heldout = Names(root, "heldout", path) ?? [];
        var interpolation = Names(root, "heldout_interpolation", path);
        var newFamily = Names(root, "heldout_new_family", path);
        if (interpolation is not null || newFamily is not null)
        {
            // The groups partition heldout: exactly, so a table by group and a table of all held-out tasks agree.
            var grouped = (interpolation ?? []).Concat(newFamily ?? []).ToList();
            if (grouped.Count != heldout.Count || !grouped.ToHashSet(StringComparer.Ordinal).SetEquals(heldout))
            {
                throw new TaskDataFormatException(path, "'heldout_interpolation' and 'heldout_new_family' together must list exactly the tasks of 'heldout', each once");
            }
        }

        var validation = Names(root, "validation", path) ?? [];
        foreach (var name in validation)
        {
            if (train.Contains(name, StringComparer.Ordinal) || heldout.Contains(name, StringComparer.Ordinal))
            {
                throw new TaskDataFormatException(path, $"validation task '{name}' is also listed in 'train' or 'heldout'");
            }
        }

        return new TaskSuiteManifest(train, heldout)
        {
            HeldoutInterpolation = interpolation ?? [],
            HeldoutNewFamily = newFamily ?? [],
            Validation = validation,
            Pretraining = Names(root, "pretraining", path) ?? [],
        };
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
