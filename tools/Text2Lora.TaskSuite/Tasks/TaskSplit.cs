namespace Text2Lora.TaskSuite.Tasks;

/// <summary>Which side of the suite a task is on: trained on, or only ever seen at evaluation time.</summary>
public enum TaskSplit
{
    /// <summary>A training task: its examples and descriptions are used to train base, LoRAs and hypernetworks.</summary>
    Train,

    /// <summary>A held-out task: never trained on; its descriptions appear nowhere in training.</summary>
    Heldout,

    /// <summary>
    /// Suite v2: held out from training like <see cref="Heldout"/>, but used only to choose between trained models
    /// (for example SFT or reconstruction), so the held-out test numbers are not selected on.
    /// </summary>
    Validation,
}
