namespace Text2Lora.Reproduction;

/// <summary>One cell of the results table: a row's accuracy on one task.</summary>
/// <param name="Row">The row's key (<see cref="ResultRow.Key"/>).</param>
/// <param name="Task">The task.</param>
/// <param name="Group">The task's part of the suite.</param>
/// <param name="Correct">Correct answers.</param>
/// <param name="Total">Scored test examples.</param>
internal sealed record TaskAccuracy(string Row, string Task, TaskGroup Group, int Correct, int Total)
{
    /// <summary>Whether the task is held out (either held-out group).</summary>
    public bool Heldout => Group is TaskGroup.Interpolation or TaskGroup.NewFamily;

    /// <summary>The fraction correct.</summary>
    public double Accuracy => Total == 0 ? 0 : (double)Correct / Total;
}
