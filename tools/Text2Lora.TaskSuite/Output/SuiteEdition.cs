using Text2Lora.TaskSuite.Generation;

namespace Text2Lora.TaskSuite.Output;

/// <summary>What differs between the committed suites in their rendered files: manifest name, seed, command, README template.</summary>
/// <param name="Name">The manifest's <c>name:</c>.</param>
/// <param name="FormatVersion">The manifest's <c>format_version:</c>.</param>
/// <param name="Seed">The generation seed (manifest and README).</param>
/// <param name="RegenerateCommand">The command that regenerates the committed folder.</param>
/// <param name="ReadmeTemplate">The embedded README template's resource name.</param>
public sealed record SuiteEdition(string Name, int FormatVersion, ulong Seed, string RegenerateCommand, string ReadmeTemplate)
{
    /// <summary>Generic pretraining files (relative paths) the manifest lists under <c>pretraining:</c>; none in v1.</summary>
    public IReadOnlyList<string> PretrainingFiles { get; init; } = [];

    /// <summary>Suite v1, <c>data/task-suite</c>.</summary>
    public static SuiteEdition V1 { get; } = new(
        "text2lora-task-suite", SuiteSettings.FormatVersion, SuiteSettings.Seed,
        "dotnet run --project tools/Text2Lora.TaskSuite -- --output data/task-suite", "Output/README.template.md");
}
