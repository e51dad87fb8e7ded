namespace Text2Lora.TaskSuite.V2;

/// <summary>Every task of suite v2, in the fixed order of the manifest: the parameterised families, then the new families.</summary>
public static class SuiteV2Catalog
{
    /// <summary>All tasks: training, interpolation, validation and new-family.</summary>
    public static IReadOnlyList<SuiteV2Task> All() =>
    [
        .. NumberFamilies.All(),
        .. LetterFamilies.All(),
        .. WordListFamilies.All(),
        .. NewFamilies.All(),
    ];
}
