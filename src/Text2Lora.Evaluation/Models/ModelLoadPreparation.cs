using Text2Lora.Models.Llama;
using Text2Lora.Runtime;
using static TorchSharp.torch;

namespace Text2Lora.Evaluation.Models;

/// <summary>The one rule by which evaluation and the demo turn a request's optional load options into the ones they load with.</summary>
internal static class ModelLoadPreparation
{
    /// <summary>
    /// Null options mean float32 on the CPU and a missing device means the CPU; the backend for that device is then
    /// checked (CUDA initialised before any other libtorch work, TorchSharp #1198), so a missing backend package is
    /// the library's typed error before anything loads.
    /// </summary>
    public static ModelLoadOptions Prepare(ModelLoadOptions? options)
    {
        var prepared = (options ?? new ModelLoadOptions()) with { Device = options?.Device ?? CPU };
        TorchRuntime.EnsureAvailable(prepared.Device!);
        return prepared;
    }
}
