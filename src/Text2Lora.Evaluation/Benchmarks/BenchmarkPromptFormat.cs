namespace Text2Lora.Evaluation.Benchmarks;

/// <summary>Which prompt templates a benchmark's items are built with.</summary>
public enum BenchmarkPromptFormat
{
    /// <summary>
    /// The T2L reference's templates (<c>tasks/&lt;benchmark&gt;/metadata.yaml</c>: <c>user_prompt_template</c>,
    /// <c>assistant_prefill</c>), used as chat user turns. Multiple-choice prompts list the choices with their labels
    /// and ask for a label, so the scored continuations are the labels themselves ("A", "0", "true").
    /// </summary>
    T2l,

    /// <summary>
    /// lm-evaluation-harness's zero-shot cloze prompts, used verbatim (no chat template): the scored continuations are the
    /// choice texts after a space, so per-character normalisation (<c>acc_norm</c>) is meaningful.
    /// </summary>
    Harness,
}
