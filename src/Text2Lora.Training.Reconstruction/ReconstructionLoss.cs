using System.Text.Json.Serialization;

namespace Text2Lora.Training.Reconstruction;

/// <summary>The distance between predicted and target factors (or ΔW).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ReconstructionLoss>))]
public enum ReconstructionLoss
{
    /// <summary>Mean squared error.</summary>
    Mse,

    /// <summary>Mean absolute error (what the reference's <c>recon_trainer.compute_loss</c> uses).</summary>
    L1,
}
