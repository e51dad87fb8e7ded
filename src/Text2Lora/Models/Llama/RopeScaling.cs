namespace Text2Lora.Models.Llama;

/// <summary>
/// <c>rope_scaling</c> of <c>config.json</c>. Supported types: <c>default</c> (none), <c>linear</c>
/// (positions divided by <see cref="Factor"/>) and <c>llama3</c> (Llama 3.1's band-wise frequency scaling).
/// </summary>
/// <param name="RopeType">The <c>rope_type</c> (or legacy <c>type</c>) value.</param>
/// <param name="Factor">Scaling factor.</param>
/// <param name="LowFreqFactor">llama3: <c>low_freq_factor</c>.</param>
/// <param name="HighFreqFactor">llama3: <c>high_freq_factor</c>.</param>
/// <param name="OriginalMaxPositionEmbeddings">llama3: <c>original_max_position_embeddings</c>.</param>
public sealed record RopeScaling(string RopeType, double Factor, double LowFreqFactor, double HighFreqFactor, int OriginalMaxPositionEmbeddings);
