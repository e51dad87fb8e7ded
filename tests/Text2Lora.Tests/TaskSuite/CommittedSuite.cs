using YamlDotNet.RepresentationModel;

namespace Text2Lora.Tests.TaskSuite;

/// <summary>The committed v1 suite, <c>data/task-suite</c>, read from its files (see <see cref="SuiteFolder"/>).</summary>
internal static class CommittedSuite
{
    /// <summary>Absolute path of <c>data/task-suite</c> in the repository this test assembly was built from.</summary>
    public static string Root => SuiteFolder.V1.Root;

    /// <summary>The manifest's <c>train:</c> list.</summary>
    public static IReadOnlyList<string> TrainTasks => SuiteFolder.V1.ManifestList("train");

    /// <summary>The manifest's <c>heldout:</c> list.</summary>
    public static IReadOnlyList<string> HeldoutTasks => SuiteFolder.V1.ManifestList("heldout");

    /// <summary>Every task of the manifest.</summary>
    public static IReadOnlyList<string> AllTasks => [.. TrainTasks, .. HeldoutTasks];

    /// <summary>One task's metadata and splits (cached).</summary>
    public static SuiteTask Task(string name) => SuiteFolder.V1.Task(name);

    /// <summary>The YAML mapping of a file in the suite folder.</summary>
    public static YamlMappingNode ReadYaml(string relativePath) => SuiteFolder.V1.ReadYaml(relativePath);
}
