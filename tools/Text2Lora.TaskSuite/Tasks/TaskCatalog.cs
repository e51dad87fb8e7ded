namespace Text2Lora.TaskSuite.Tasks;

/// <summary>Every task of the suite, in the fixed order of the manifest.</summary>
public static class TaskCatalog
{
    /// <summary>All task specifications: each family's training tasks, then its held-out tasks, family by family.</summary>
    public static IReadOnlyList<TaskSpec> All() =>
    [
        .. LetterTasks.All(),
        .. WordListTasks.All(),
        .. ArithmeticTasks.All(),
        .. NumberFactTasks.All(),
        .. CategoryTasks.All(),
    ];
}
