using System.ComponentModel.DataAnnotations;
using Text2Lora.Lora;

namespace Text2Lora.Training.Lora;

/// <summary>The shape of the LoRA adapters a trainer trains or generates (PEFT <c>LoraConfig</c> names in brackets).</summary>
public sealed class LoraAdapterOptions : IValidatableObject
{
    /// <summary>Rank r [r].</summary>
    [Range(1, 4096)]
    public int Rank { get; set; } = 8;

    /// <summary>Scale numerator α: the update is α/r · B·A (α/√r with <see cref="UseRslora"/>) [lora_alpha].</summary>
    [Range(double.Epsilon, double.MaxValue)]
    public double Alpha { get; set; } = 16;

    /// <summary>Dropout on the input of each LoRA branch during training [lora_dropout].</summary>
    [Range(0.0, 0.99)]
    public double Dropout { get; set; } = 0.05;

    /// <summary>Short names of the adapted linear layers, e.g. <c>q_proj</c>, <c>v_proj</c> [target_modules].</summary>
    [Required]
    [MinLength(1)]
    public List<string> TargetModules { get; set; } = ["q_proj", "v_proj"];

    /// <summary>rsLoRA scaling α/√r [use_rslora].</summary>
    public bool UseRslora { get; set; }

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (TargetModules.Any(string.IsNullOrWhiteSpace) || TargetModules.Distinct(StringComparer.Ordinal).Count() != TargetModules.Count)
        {
            yield return new ValidationResult("target modules must be distinct, non-empty names.", [nameof(TargetModules)]);
        }
    }

    /// <summary>The PEFT config of such an adapter for the base model at <paramref name="baseModel"/>.</summary>
    public LoraConfig ToConfig(string? baseModel) => new()
    {
        R = Rank,
        LoraAlpha = Alpha,
        LoraDropout = Dropout,
        UseRslora = UseRslora,
        TargetModules = Text2Lora.Lora.TargetModules.FromNames(TargetModules),
        BaseModelNameOrPath = baseModel,
    };

    /// <summary>The base model's target modules in the order of <see cref="TargetModules"/>.</summary>
    /// <exception cref="ArgumentException">The model lacks a named module; the message lists the ones it has.</exception>
    public LoraTargetDescription Select(LoraTargetDescription model) =>
        new(model.LayerCount, TargetModules.Select(model.Get).ToArray());
}
