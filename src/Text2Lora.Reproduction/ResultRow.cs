namespace Text2Lora.Reproduction;

/// <summary>A row of the results table: one way of answering the suite's test prompts.</summary>
/// <param name="Key">Short stable identifier (used in files).</param>
/// <param name="Title">The row's name in the table.</param>
/// <param name="Explanation">What the model sees, for the table's legend.</param>
/// <param name="TrainTasksOnly">Whether the row exists only for training tasks (oracle LoRAs).</param>
internal sealed record ResultRow(string Key, string Title, string Explanation, bool TrainTasksOnly = false)
{
    /// <summary>The base model, input only.</summary>
    public static ResultRow Base { get; } = new("base", "base", "`<s>{input}`, no adapter");

    /// <summary>The base model with the description in the prompt (the paper's prompting baseline).</summary>
    public static ResultRow BaseWithDescription { get; } = new("base+description", "base + description in the prompt", "`<s>{description}\\nInput: {input}`, no adapter (the base model's own training format)");

    /// <summary>One LoRA trained on all training tasks.</summary>
    public static ResultRow MultiTaskLora { get; } = new("multitask-lora", "multi-task LoRA", "`<s>{input}` with one LoRA trained on all training tasks");

    /// <summary>One LoRA per training task.</summary>
    public static ResultRow OracleLora { get; } = new("oracle-lora", "oracle LoRA", "`<s>{input}` with the LoRA trained on that task alone (training tasks only)", TrainTasksOnly: true);

    /// <summary>T2L trained by SFT, adapter from the task's description.</summary>
    public static ResultRow T2lSft { get; } = new("t2l-sft", "T2L-SFT", "`<s>{input}` with the adapter T2L-SFT generates from the task's description");

    /// <summary>T2L trained by reconstruction, adapter from the task's description.</summary>
    public static ResultRow T2lReconstruction { get; } = new("t2l-recon", "T2L-reconstruction", "`<s>{input}` with the adapter T2L-recon generates from the task's description");

    /// <summary>Control: T2L-SFT from another task's description.</summary>
    public static ResultRow T2lSftUnrelated { get; } = new("t2l-sft-unrelated", "T2L-SFT, unrelated description", "T2L-SFT adapter from the description of a training task of another family");

    /// <summary>Control: T2L-SFT from random words.</summary>
    public static ResultRow T2lSftRandom { get; } = new("t2l-sft-random", "T2L-SFT, random description", "T2L-SFT adapter from a string of random words of the descriptions' vocabulary");

    /// <summary>Control: T2L-recon from another task's description.</summary>
    public static ResultRow T2lReconstructionUnrelated { get; } = new("t2l-recon-unrelated", "T2L-reconstruction, unrelated description", "T2L-recon adapter from the description of a training task of another family");

    /// <summary>Control: T2L-recon from random words.</summary>
    public static ResultRow T2lReconstructionRandom { get; } = new("t2l-recon-random", "T2L-reconstruction, random description", "T2L-recon adapter from a string of random words of the descriptions' vocabulary");

    /// <summary>Every row, in table order.</summary>
    public static IReadOnlyList<ResultRow> All { get; } =
    [
        Base, BaseWithDescription, MultiTaskLora, OracleLora, T2lSft, T2lReconstruction,
        T2lSftUnrelated, T2lSftRandom, T2lReconstructionUnrelated, T2lReconstructionRandom,
    ];
}
