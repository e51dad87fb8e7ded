using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Text2Lora.Hypernetworks.Modules;

/// <summary>
/// Per-module LoRA-shaped constants for all layers (the reference's <c>zero_lora_param_dict</c>):
/// <c>A.&lt;m&gt;</c> [L, r, in] and <c>B.&lt;m&gt;</c> [L, out, r]. Used for <c>AB_offset</c>,
/// <c>mean_recon_target</c> and <c>std_recon_target</c>; not trained.
/// </summary>
internal sealed class LoraFactorTable : Module
{
    private readonly NamedParameters A;
    private readonly NamedParameters B;

    public LoraFactorTable(string name, int layers, int rank, IReadOnlyList<Text2Lora.Lora.LoraTargetModule> modules)
        : base(name)
    {
        A = new NamedParameters("A", modules.Select(m => KeyValuePair.Create(m.Name, zeros(layers, rank, m.InFeatures))), requiresGrad: false);
        B = new NamedParameters("B", modules.Select(m => KeyValuePair.Create(m.Name, zeros(layers, m.OutFeatures, rank))), requiresGrad: false);
        RegisterComponents();
    }

    /// <summary>[L, r, in] for module <paramref name="module"/>.</summary>
    public Tensor ForA(string module) => A.Get(module);

    /// <summary>[L, out, r] for module <paramref name="module"/>.</summary>
    public Tensor ForB(string module) => B.Get(module);
}
