using Text2Lora.TaskSuite.Output;

namespace Text2Lora.TaskSuite.V2;

/// <summary>Fixed settings of the committed suite v2 (<c>data/task-suite-v2</c>). Changing any of them changes the data; regenerate and commit.</summary>
public static class SuiteV2Settings
{
    /// <summary>Suite seed; each task draws its inputs from <c>SuiteRandom.ForStream(Seed, taskName)</c> and its descriptions from the stream <c>"descriptions/" + taskName</c>.</summary>
    public const ulong Seed = 2506_06105_2UL;

    /// <summary>Suite format version written to <c>suite.yaml</c> (v2 adds held-out groups, validation tasks and parameters).</summary>
    public const int FormatVersion = 2;

    /// <summary>Descriptions per training task (the issue asks for at least 64).</summary>
    public const int TrainingDescriptions = 64;

    /// <summary>Descriptions per held-out or validation task, all from held-out templates.</summary>
    public const int HeldoutDescriptions = 32;

    /// <summary>Distinct test inputs per task.</summary>
    public const int TestSize = 50;

    /// <summary>Distinct train inputs per task (fewer where the input space runs out).</summary>
    public const int TrainSize = 200;

    /// <summary>The command that regenerates the committed folder.</summary>
    public const string RegenerateCommand = "dotnet run --project tools/Text2Lora.TaskSuite -- --suite v2 --output data/task-suite-v2";

    /// <summary>What the rendered files of suite v2 say about it (manifest name, seed, command, README template).</summary>
    public static SuiteEdition Edition { get; } = new("text2lora-task-suite-v2", FormatVersion, Seed, RegenerateCommand, "Output/README-v2.template.md")
    {
        PretrainingFiles = [GenericCorpus.RelativePath],
    };
}
