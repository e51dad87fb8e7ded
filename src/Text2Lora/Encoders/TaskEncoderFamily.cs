namespace Text2Lora.Encoders;

/// <summary>Which model computes the task embedding (see <see cref="TaskEncoderSelection"/>).</summary>
public enum TaskEncoderFamily
{
    /// <summary>The base LLM itself: last-token pooling of its final hidden state (reference <c>emb_model: ""</c>).</summary>
    BaseModel,

    /// <summary>A gte ("NewModel") encoder such as Alibaba-NLP/gte-large-en-v1.5: CLS pooling, float32.</summary>
    Gte,

    /// <summary>SFR-Embedding-Mistral (a Mistral model): the reference's SFR instruction template, last-token pooling.</summary>
    Sfr,

    /// <summary>sentence-transformers/all-MiniLM-L6-v2, embedded in the package (Text2Lora's own default; not in the reference).</summary>
    MiniLm,
}
