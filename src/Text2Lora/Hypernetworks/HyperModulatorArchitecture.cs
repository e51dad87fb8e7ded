using System.Text.Json.Serialization;

namespace Text2Lora.Hypernetworks;

/// <summary>What the hypernetwork was trained for; decides how its raw output becomes a LoRA.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<HypernetworkTrainingTask>))]
public enum HypernetworkTrainingTask
{
    /// <summary>Trained end to end through the base model (<c>training_task: sft</c>); <c>AB_offset</c> is added.</summary>
    Sft,

    /// <summary>Trained to reconstruct existing LoRAs (<c>training_task: recon</c>); outputs are de-normalised.</summary>
    Recon,
}

/// <summary>
/// The sizes and flags of a T2L <see cref="HyperModulator"/> (the reference <c>HyperModulator</c> constructor
/// arguments that shape the network). The paper's sizes: L = neither flag, M = <see cref="SharedABHead"/>,
/// S = <see cref="SharedABHead"/> + <see cref="AutoregressiveGeneration"/>.
/// </summary>
public sealed record HyperModulatorArchitecture
{
    /// <summary>Size D of the task (description) embeddings.</summary>
    [JsonPropertyName("task_emb_size")]
    public required int TaskEmbeddingSize { get; init; }

    /// <summary>Latent width of the trunk (<c>hypernet_latent_size</c>, reference default 128).</summary>
    [JsonPropertyName("latent_size")]
    public int LatentSize { get; init; } = 128;

    /// <summary>Input width of the output heads (<c>head_in_size</c>, reference default 512).</summary>
    [JsonPropertyName("head_in_size")]
    public int HeadInSize { get; init; } = 512;

    /// <summary>M/S: one head per module emits A or B, selected by the learned <c>out_emb</c> embeddings.</summary>
    [JsonPropertyName("shared_AB_head")]
    public bool SharedABHead { get; init; }

    /// <summary>S (and L-autoreg): the head emits one rank row at a time, positions told apart by <see cref="LearnablePositionEmbedding"/> or rotary angles.</summary>
    [JsonPropertyName("autoreg_gen")]
    public bool AutoregressiveGeneration { get; init; }

    /// <summary>With <see cref="AutoregressiveGeneration"/>: learned rank-position embeddings (<c>pos_emb</c>) instead of rotary positions.</summary>
    [JsonPropertyName("learnable_pos_emb")]
    public bool LearnablePositionEmbedding { get; init; }

    /// <summary>Whether the heads have a bias (the reference decides it from the training setup; checkpoints show it by <c>heads.&lt;m&gt;.bias</c>).</summary>
    [JsonPropertyName("head_use_bias")]
    public bool HeadBias { get; init; } = true;

    /// <summary>SFT or reconstruction training.</summary>
    [JsonPropertyName("training_task")]
    public HypernetworkTrainingTask TrainingTask { get; init; } = HypernetworkTrainingTask.Sft;

    /// <summary>Recon: the network predicts z-scores, de-normalised with <c>std_recon_target</c>/<c>mean_recon_target</c>.</summary>
    [JsonPropertyName("pred_z_score")]
    public bool PredictZScore { get; init; }

    /// <summary>Recon: trained on the factors A/B (true) or on ΔW (false, outputs scaled by <see cref="DeltaWScaling"/>).</summary>
    [JsonPropertyName("factorized")]
    public bool Factorized { get; init; }

    /// <summary>Recon with <see cref="Factorized"/> false: generated A and B are divided by sqrt of this (reference default 10000).</summary>
    [JsonPropertyName("delta_w_scaling")]
    public double DeltaWScaling { get; init; } = 10000;

    /// <summary>Checks the combination of sizes and flags; throws <see cref="ArgumentException"/> naming the field.</summary>
    public void Validate()
    {
        Require(TaskEmbeddingSize > 0, "task_emb_size", "must be positive");
        Require(LatentSize > 0 && LatentSize % 4 == 0, "latent_size", "must be a positive multiple of 4 (the depth and type embeddings are latent/4 wide each)");
        Require(HeadInSize > 0, "head_in_size", "must be positive");
        Require(!LearnablePositionEmbedding || AutoregressiveGeneration, "learnable_pos_emb", "requires autoreg_gen");
        Require(!AutoregressiveGeneration || LearnablePositionEmbedding || LatentSize % 2 == 0, "latent_size", "must be even for rotary positions");
        Require(DeltaWScaling > 0 && double.IsFinite(DeltaWScaling), "delta_w_scaling", "must be a positive number");
    }

    private static void Require(bool condition, string field, string problem)
    {
        if (!condition)
        {
            throw new ArgumentException($"Hypernetwork architecture field '{field}' {problem}.", field);
        }
    }
}
