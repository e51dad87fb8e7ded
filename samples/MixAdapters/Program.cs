// Generates adapters for two task descriptions, mixes them two ways (the exact weighted ΔW, and the reference's
// factor interpolation) and exports all four as PEFT adapter folders that PEFT, vLLM and LoRAX load.
//
//   dotnet run --project samples/MixAdapters -- [<hypernetwork-dir>] [<output-dir>]
using Text2Lora.IO.Peft;
using Text2Lora.LoraGeneration;
using Text2Lora.Samples;

var hypernetwork = args.Length > 0 ? args[0] : Path.Combine(SamplePaths.RepositoryRoot(), "models/t2l-tiny-recon");
var output = args.Length > 1 ? args[1] : Path.Combine(Path.GetTempPath(), "t2l-mixed-adapters");

using var generator = Text2LoraBuilder.Create().WithHypernetwork(hypernetwork).Build();
using var firstLetter = generator.FromDescription("Give the first letter of the word.");
using var reverse = generator.FromDescription("Reverse the word.");

// ΔW = 0.7·ΔW₁ + 0.3·ΔW₂ exactly: the ranks are concatenated (r₁ + r₂).
using var exact = AdapterMixer.Mix([firstLetter, reverse], [0.7, 0.3], AdapterMixing.ExactDelta);
// The reference's lora_mixing.py: A = Σ wᵢAᵢ, B = Σ wᵢBᵢ at the common rank (has cross terms BᵢAⱼ).
using var interpolated = AdapterMixer.Mix([firstLetter, reverse], [0.7, 0.3], AdapterMixing.FactorInterpolation);
// The same as `exact`, straight from the descriptions.
using var fromDescriptions = generator.FromWeightedDescriptions([("Give the first letter of the word.", 0.7), ("Reverse the word.", 0.3)]);

foreach (var (name, adapter) in new[] { ("first-letter", firstLetter), ("reverse", reverse), ("mix-exact", exact), ("mix-interpolated", interpolated), ("mix-from-descriptions", fromDescriptions) })
{
    var folder = Path.Combine(output, name);
    PeftAdapterFolder.Save(adapter, folder);
    Console.WriteLine($"{name,-22} rank {adapter.Config.R,2}, {adapter.Modules.Count} modules -> {folder}");
}

return 0;
