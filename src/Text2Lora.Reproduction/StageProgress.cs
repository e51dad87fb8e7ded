using Text2Lora.Abstractions;

namespace Text2Lora.Reproduction;

/// <summary>Forwards a trainer's reports synchronously (unlike <see cref="Progress{T}"/>, which posts them); null: drops them.</summary>
internal sealed class StageProgress(Action<TrainingProgress>? report) : IProgress<TrainingProgress>
{
    public void Report(TrainingProgress value) => report?.Invoke(value);
}
