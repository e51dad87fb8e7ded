using System.Text.Json;
using YamlDotNet.RepresentationModel;

namespace Text2Lora.Tests.TaskSuite;

/// <summary>
/// Reads the committed <c>data/task-suite</c> folder directly (YAML and JSON parsers, none of the generator's code),
/// so the data tests check the files themselves.
/// </summary>
internal static class CommittedSuite
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);
    private static readonly Dictionary<string, SuiteTask> Cache = new(StringComparer.Ordinal);

    /// <summary>Absolute path of <c>data/task-suite</c> in the repository this test assembly was built from.</summary>
    public static string Root => LazyRoot.Value;

    /// <summary>The manifest's <c>train:</c> list.</summary>
    public static IReadOnlyList<string> TrainTasks => ManifestList("train");

    /// <summary>The manifest's <c>heldout:</c> list.</summary>
    public static IReadOnlyList<string> HeldoutTasks => ManifestList("heldout");

    /// <summary>Every task of the manifest.</summary>
    public static IReadOnlyList<string> AllTasks => [.. TrainTasks, .. HeldoutTasks];

    /// <summary>One task's metadata and splits (cached).</summary>
    public static SuiteTask Task(string name)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue(name, out var task))
            {
                task = Load(name);
                Cache[name] = task;
            }

            return task;
        }
    }

    /// <summary>The YAML mapping of a file in the suite folder.</summary>
    public static YamlMappingNode ReadYaml(string relativePath)
    {
        using var reader = new StreamReader(Path.Combine(Root, relativePath));
        var stream = new YamlStream();
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents.Single().RootNode;
    }

    private static IReadOnlyList<string> ManifestList(string key) =>
        [.. ((YamlSequenceNode)ReadYaml("suite.yaml").Children[new YamlScalarNode(key)]).Children.Select(n => ((YamlScalarNode)n).Value!)];

    private static SuiteTask Load(string name)
    {
        var metadata = ReadYaml(Path.Combine(name, "metadata.yaml"));
        string Scalar(string key) => ((YamlScalarNode)metadata.Children[new YamlScalarNode(key)]).Value!;
        List<string> List(string key) => metadata.Children.TryGetValue(new YamlScalarNode(key), out var node)
            ? [.. ((YamlSequenceNode)node).Children.Select(n => ((YamlScalarNode)n).Value!)]
            : [];
        return new SuiteTask(
            Scalar("name"), Scalar("family"), Scalar("split"), Scalar("scoring"),
            List("descriptions"), List("labels"), List("related_to"),
            ReadJsonLines(Path.Combine(Root, name, "train.jsonl")),
            ReadJsonLines(Path.Combine(Root, name, "test.jsonl")));
    }

    private static List<(string Input, string Output)> ReadJsonLines(string path) =>
    [
        .. File.ReadAllLines(path).Select(line =>
        {
            using var document = JsonDocument.Parse(line);
            return (document.RootElement.GetProperty("input").GetString()!, document.RootElement.GetProperty("output").GetString()!);
        }),
    ];

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Text2Lora.sln")))
            {
                return Path.Combine(dir.FullName, "data", "task-suite");
            }
        }

        throw new DirectoryNotFoundException($"No Text2Lora.sln above {AppContext.BaseDirectory}.");
    }
}
