namespace Text2Lora.Reproduction;

/// <summary>One cell of the results table: a row's accuracy on one task, with one answer to show.</summary>
/// <param name="Row">The row's key (<see cref="ResultRow.Key"/>).</param>
/// <param name="Task">The task.</param>
/// <param name="Heldout">Whether the task is held out.</param>
/// <param name="Correct">Correct answers.</param>
/// <param name="Total">Scored test examples.</param>
internal sealed record TaskAccuracy(string Row, string Task, bool Heldout, int Correct, int Total)
{
    /// <summary>The fraction correct.</summary>
    public double Accuracy => Total == 0 ? 0 : (double)Correct / Total;
}
