namespace Text2Lora.Reproduction;

/// <summary>The trained models the results table compares (folders in the pipeline's output).</summary>
/// <param name="BaseModelDirectory">The base model (Hugging Face folder).</param>
/// <param name="OracleLoraDirectories">Each training task's oracle LoRA (PEFT folder).</param>
/// <param name="MultiTaskLoraDirectory">The multi-task LoRA (PEFT folder).</param>
/// <param name="SftDirectory">The T2L hypernetwork trained by SFT.</param>
/// <param name="ReconstructionDirectory">The T2L hypernetwork trained by reconstruction.</param>
internal sealed record ReproductionArtifacts(
    string BaseModelDirectory,
    IReadOnlyDictionary<string, string> OracleLoraDirectories,
    string MultiTaskLoraDirectory,
    string SftDirectory,
    string ReconstructionDirectory)
{
    /// <summary>
    /// Oracle LoRAs of held-out and validation tasks (PEFT folders, <c>oracle-heldout/&lt;task&gt;</c>): upper bounds for
    /// the table only, never in the reconstruction library; empty unless <c>heldoutOracles</c> is on.
    /// </summary>
    public IReadOnlyDictionary<string, string> HeldoutOracleLoraDirectories { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Ablation hypernetworks, each evaluated as its own rows (e.g. other task encoders).</summary>
    public IReadOnlyList<HypernetworkAblation> Ablations { get; init; } = [];

    /// <summary>The scaling curve's hypernetworks, trained on the first N training tasks, in increasing N.</summary>
    public IReadOnlyList<ScalingPoint> Scaling { get; init; } = [];
}

/// <summary>An ablation's hypernetwork, evaluated with the task encoder its <c>hypernetwork.json</c> records.</summary>
/// <param name="Key">Stable row key (files, results.json), e.g. <c>t2l-sft-one-hot</c>.</param>
/// <param name="Title">The row's name in the table.</param>
/// <param name="Explanation">What differs from the main row, for the table's legend.</param>
/// <param name="Directory">The hypernetwork folder.</param>
internal sealed record HypernetworkAblation(string Key, string Title, string Explanation, string Directory);

/// <summary>A point of the scaling curve: a hypernetwork trained on the first <paramref name="TaskCount"/> training tasks.</summary>
/// <param name="TaskCount">Training tasks used (family-stratified prefix of the training list).</param>
/// <param name="Directory">The hypernetwork folder.</param>
internal sealed record ScalingPoint(int TaskCount, string Directory);

/// <summary>The T2L hypernetwork chosen on the validation tasks (never on test tasks).</summary>
/// <param name="RowKey">The chosen row: <see cref="ResultRow.T2lSft"/> or <see cref="ResultRow.T2lReconstruction"/>'s key.</param>
/// <param name="SftValidationAccuracy">T2L-SFT's mean accuracy over the validation tasks.</param>
/// <param name="ReconstructionValidationAccuracy">T2L-reconstruction's mean accuracy over the validation tasks.</param>
internal sealed record HypernetworkSelection(string RowKey, double SftValidationAccuracy, double ReconstructionValidationAccuracy)
{
    /// <summary>
    /// The row of the two T2L hypernetworks with the higher mean accuracy over the validation tasks' cells of
    /// <paramref name="cells"/> (means of tasks, as the table's); a tie keeps SFT, the paper's main method. Test tasks are
    /// never looked at, so the held-out numbers are not selected on.
    /// </summary>
    /// <exception cref="InvalidOperationException">No validation cell of either row was scored (a suite without <c>validation:</c> tasks).</exception>
    public static HypernetworkSelection Choose(IReadOnlyList<TaskAccuracy> cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        double Mean(ResultRow row)
        {
            var values = cells.Where(c => c.Row == row.Key && c.Group == TaskGroup.Validation).Select(c => c.Accuracy).ToList();
            return values.Count > 0 ? values.Average() : throw new InvalidOperationException($"No validation task was scored for row '{row.Key}'; selection needs the suite's validation: tasks.");
        }

        var sft = Mean(ResultRow.T2lSft);
        var recon = Mean(ResultRow.T2lReconstruction);
        return new HypernetworkSelection(recon > sft ? ResultRow.T2lReconstruction.Key : ResultRow.T2lSft.Key, sft, recon);
    }
}
