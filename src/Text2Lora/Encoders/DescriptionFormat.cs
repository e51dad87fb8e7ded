namespace Text2Lora.Encoders;

/// <summary>
/// How a task description is turned into the text the description encoder sees (see <see cref="DescriptionFormatting"/>).
/// It is part of a hypernetwork's contract: a hypernetwork only works with descriptions formatted as in its training.
/// </summary>
public enum DescriptionFormat
{
    /// <summary>
    /// Trimmed, every inner run of whitespace made one space: what Text2Lora's own MiniLM-trained hypernetworks saw
    /// (and what a <c>hypernetwork.json</c> without a <c>description_format</c> field means).
    /// </summary>
    CollapseWhitespace,

    /// <summary>
    /// The T2L reference's <c>add_full_stop</c>: trimmed, then "." appended when the last character is a letter; inner
    /// whitespace and newlines are kept. The format of every reference checkpoint except the SFR one.
    /// </summary>
    AddFullStop,

    /// <summary>
    /// The reference's <c>apply_sfr_template</c> for SFR-Embedding-Mistral: <c>"Instruct: Retrieve semantically similar
    /// text.\nQuery: {description}"</c>, the description unchanged (no trimming, no full stop).
    /// </summary>
    SfrInstruction,
}
