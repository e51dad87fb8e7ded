using System.Text.Json;
using YamlDotNet.RepresentationModel;

namespace Text2Lora.Tests.TaskSuite;

/// <summary>
/// Reads a committed task-suite folder (<c>data/task-suite</c>, <c>data/task-suite-v2</c>) directly with YAML and
/// JSON parsers, none of the generator's code, so the data tests check the files themselves.
/// </summary>
internal sealed class SuiteFolder
{
    private readonly Dictionary<string, SuiteTask> _cache = new(StringComparer.Ordinal);

    private SuiteFolder(string root) => Root = root;

    /// <summary><c>data/task-suite</c>.</summary>
    public static SuiteFolder V1 { get; } = new(FindData("task-suite"));

    /// <summary><c>data/task-suite-v2</c>.</summary>
    public static SuiteFolder V2 { get; } = new(FindData("task-suite-v2"));

    /// <summary>Absolute path of the folder.</summary>
    public string Root { get; }

    /// <summary>A list of the manifest (<c>train</c>, <c>heldout</c>, …); empty when the key is absent.</summary>
    public IReadOnlyList<string> ManifestList(string key) =>
        ReadYaml("suite.yaml").Children.TryGetValue(new YamlScalarNode(key), out var node)
            ? [.. ((YamlSequenceNode)node).Children.Select(n => ((YamlScalarNode)n).Value!)]
            : [];

    /// <summary>One task's metadata and splits (cached).</summary>
    public SuiteTask Task(string name)
    {
        lock (_cache)
        {
            if (!_cache.TryGetValue(name, out var task))
            {
                task = Load(name);
                _cache[name] = task;
            }

            return task;
        }
    }

    /// <summary>The YAML mapping of a file in the folder.</summary>
    public YamlMappingNode ReadYaml(string relativePath)
    {
        using var reader = new StreamReader(Path.Combine(Root, relativePath));
        var stream = new YamlStream();
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents.Single().RootNode;
    }

    private SuiteTask Load(string name)
    {
        var metadata = ReadYaml(Path.Combine(name, "metadata.yaml"));
        string? Scalar(string key) => metadata.Children.TryGetValue(new YamlScalarNode(key), out var node) ? ((YamlScalarNode)node).Value : null;
        List<string> List(string key) => metadata.Children.TryGetValue(new YamlScalarNode(key), out var node)
            ? [.. ((YamlSequenceNode)node).Children.Select(n => ((YamlScalarNode)n).Value!)]
            : [];
        return new SuiteTask(
            Scalar("name")!, Scalar("family")!, Scalar("split")!, Scalar("scoring")!,
            List("descriptions"), List("labels"), List("related_to"),
            ReadJsonLines(Path.Combine(Root, name, "train.jsonl")),
            ReadJsonLines(Path.Combine(Root, name, "test.jsonl")))
        {
            HeldoutGroup = Scalar("heldout_group"),
            Parameters = metadata.Children.TryGetValue(new YamlScalarNode("parameters"), out var parameters)
                ? ((YamlMappingNode)parameters).Children.ToDictionary(p => ((YamlScalarNode)p.Key).Value!, p => ((YamlScalarNode)p.Value).Value!, StringComparer.Ordinal)
                : new Dictionary<string, string>(),
        };
    }

    private static List<(string Input, string Output)> ReadJsonLines(string path) =>
    [
        .. File.ReadAllLines(path).Select(line =>
        {
            using var document = JsonDocument.Parse(line);
            return (document.RootElement.GetProperty("input").GetString()!, document.RootElement.GetProperty("output").GetString()!);
        }),
    ];

    private static string FindData(string folder)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Text2Lora.sln")))
            {
                return Path.Combine(dir.FullName, "data", folder);
            }
        }

        throw new DirectoryNotFoundException($"No Text2Lora.sln above {AppContext.BaseDirectory}.");
    }
}
