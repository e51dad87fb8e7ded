using Text2Lora.Cli.Commands;
using Text2Lora.Evaluation.Running;
using Text2Lora.LoraGeneration;
using Text2Lora.Tasks;
using Text2Lora.Training.Loop;
using Text2Lora.Training.Reconstruction;
using Text2Lora.Training.Sft;
using Text2Lora.Tests.Infrastructure;

namespace Text2Lora.Tests.Architecture;

/// <summary>
/// The dependency rule of docs/architecture.md, checked on the compiled assemblies: inside the core package, namespaces
/// only reference their own layer or layers below; no assembly has a namespace cycle.
/// </summary>
[Trait(TestCategory.Key, TestCategory.Architecture)]
public sealed class ArchitectureTests
{
    /// <summary>The core package's layers, bottom first (docs/architecture.md mirrors this table).</summary>
    internal static readonly IReadOnlyList<string[]> CoreLayers =
    [
        ["Text2Lora.Runtime"],
        ["Text2Lora.IO"],
        ["Text2Lora.Lora"],
        ["Text2Lora.IO.Peft"],
        ["Text2Lora.Abstractions"],
        ["Text2Lora.Tokenization"],
        ["Text2Lora.Models"],
        ["Text2Lora.TextGeneration"],
        ["Text2Lora.Chat"],
        ["Text2Lora.Encoders"],
        ["Text2Lora.Hypernetworks"],
        ["Text2Lora.LoraGeneration"],
        ["Text2Lora.DependencyInjection"],
    ];

    /// <summary>
    /// The assemblies, bottom first, and the project assemblies each may reference: the core references none; task
    /// data only the core; Training and Evaluation never each other; the reproduction flow sits on both; the CLI and the
    /// tools on top (docs/architecture.md mirrors this table).
    /// </summary>
    internal static readonly IReadOnlyDictionary<string, string[]?> AssemblyTable = new Dictionary<string, string[]?>(StringComparer.Ordinal)
    {
        ["Text2Lora"] = [],
        ["Text2Lora.Tasks"] = ["Text2Lora"],
        ["Text2Lora.Training"] = ["Text2Lora", "Text2Lora.Tasks"],
        ["Text2Lora.Training.Sft"] = ["Text2Lora", "Text2Lora.Tasks", "Text2Lora.Training"],
        ["Text2Lora.Training.Reconstruction"] = ["Text2Lora", "Text2Lora.Tasks", "Text2Lora.Training"],
        ["Text2Lora.Evaluation"] = ["Text2Lora", "Text2Lora.Tasks"],
        ["Text2Lora.Serving"] = ["Text2Lora"],
        ["Text2Lora.Reproduction"] = ["Text2Lora", "Text2Lora.Tasks", "Text2Lora.Training", "Text2Lora.Training.Sft", "Text2Lora.Training.Reconstruction", "Text2Lora.Evaluation"],
        ["t2l"] = null,
        ["Text2Lora.TaskSuite"] = null,
    };

    public static TheoryData<string> Assemblies => new()
    {
        typeof(LoraGenerator).Assembly.Location,
        typeof(TaskFolderReader).Assembly.Location,
        typeof(TrainingLoop).Assembly.Location,
        typeof(SftTrainer).Assembly.Location,
        typeof(ReconstructionTrainer).Assembly.Location,
        typeof(BenchmarkEvaluator).Assembly.Location,
        typeof(CommandCatalog).Assembly.Location,
    };

    [Fact]
    public void Core_namespaces_only_reference_their_own_or_lower_layers()
    {
        var graph = NamespaceGraph.Read(typeof(LoraGenerator).Assembly.Location);

        var violations = new LayerRule(CoreLayers).Violations(graph);

        Assert.True(violations.Count == 0, "Upward references in Text2Lora:\n" + string.Join("\n", violations));
    }

    [Fact]
    public void Assemblies_only_reference_the_project_assemblies_below_them()
    {
        var references = ProjectAssemblies().ToDictionary(
            path => Path.GetFileNameWithoutExtension(path),
            path => NamespaceGraph.ProjectAssemblyReferences(path),
            StringComparer.Ordinal);

        var violations = new AssemblyRule(AssemblyTable).Violations(references);

        Assert.Contains("Text2Lora.Evaluation", references.Keys);
        Assert.True(violations.Count == 0, "Assembly references against docs/architecture.md:\n" + string.Join("\n", violations));
    }

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void Assembly_has_no_namespace_cycles(string assemblyPath)
    {
        var graph = NamespaceGraph.Read(assemblyPath);

        var cycles = NamespaceCycles.Find(graph);

        Assert.True(cycles.Count == 0, $"Namespace cycles in {Path.GetFileName(assemblyPath)}:\n" + string.Join("\n", cycles.Select(c => string.Join(" <-> ", c))));
    }

    /// <summary>The project's assemblies next to the tests (every <c>Text2Lora*.dll</c> and <c>t2l.dll</c> but the tests').</summary>
    private static IEnumerable<string> ProjectAssemblies() =>
        Directory.EnumerateFiles(AppContext.BaseDirectory, "*.dll")
            .Where(path => Path.GetFileNameWithoutExtension(path) is var name && (name == "t2l" || name == "Text2Lora" || name.StartsWith("Text2Lora.", StringComparison.Ordinal))
                && !name.StartsWith("Text2Lora.Tests", StringComparison.Ordinal));
}
