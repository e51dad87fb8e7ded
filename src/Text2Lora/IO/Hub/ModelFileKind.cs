namespace Text2Lora.IO.Hub;

/// <summary>What a hub reference is resolved for; decides which files of the repository are downloaded.</summary>
public enum ModelFileKind
{
    /// <summary>A causal LM: config, generation config, tokenizer files, safetensors weights (with the shards the index names).</summary>
    BaseModel,

    /// <summary>Only <c>config.json</c> (hypernetworks read layer shapes from the base model's config).</summary>
    ModelConfig,

    /// <summary>A hypernetwork checkpoint folder: its JSON/YAML files and weights (ours or the reference format).</summary>
    Hypernetwork,

    /// <summary>An embedding model (task encoder): config, tokenizer, weights, sentence-transformers pooling files.</summary>
    Encoder,

    /// <summary>A PEFT LoRA adapter folder.</summary>
    Adapter,

    /// <summary>Every file under the subfolder.</summary>
    All,
}
