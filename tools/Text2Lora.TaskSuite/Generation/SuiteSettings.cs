namespace Text2Lora.TaskSuite.Generation;

/// <summary>Fixed settings of the committed suite. Changing any of them changes the data; regenerate and commit.</summary>
public static class SuiteSettings
{
    /// <summary>Suite seed; each task draws from its own stream, <c>SuiteRandom.ForStream(Seed, taskName)</c>.</summary>
    public const ulong Seed = 2506_06105UL;

    /// <summary>Suite format version written to <c>suite.yaml</c>.</summary>
    public const int FormatVersion = 1;

    /// <summary>Minimum number of distinct hand-written descriptions per task.</summary>
    public const int MinDescriptions = 16;
}
