using System.CommandLine;
using Text2Lora.IO.Hub;
using Text2Lora.Abstractions;
using Text2Lora.IO.Peft;
using Text2Lora.IO.Safetensors;
using Text2Lora.Models.Llama;
using Text2Lora.Runtime;
using static TorchSharp.torch;

namespace Text2Lora.Cli.Commands;

/// <summary>
/// <c>t2l logits --model DIR [--adapter DIR] [--merge] --input FILE --output FILE</c>: reads <c>input_ids</c>
/// (int64 [B,T]) and optional <c>attention_mask</c> from a safetensors file and writes float32 <c>logits</c> [B,T,V],
/// computed in the <c>--dtype</c> precision (float32 by default) on <c>--device</c>.
/// </summary>
internal static class LogitsCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Hugging Face model folder (config.json + safetensors) or hub reference org/name[@revision][:subfolder].", Required = true };
        var adapter = new Option<string?>("--adapter") { Description = "PEFT LoRA adapter folder (or hub reference) to apply." };
        var merge = new Option<bool>("--merge") { Description = "Merge the adapter into the weights instead of applying it at runtime." };
        var input = new Option<FileInfo>("--input") { Description = "safetensors with input_ids int64 [B,T] and optional attention_mask.", Required = true };
        var output = new Option<FileInfo>("--output") { Description = "safetensors file to write logits float32 [B,T,V] to.", Required = true };
        var command = new Command("logits", "Compute next-token logits for token ids.") { model, adapter, merge, input, output };
        var compute = ComputeOptions.AddTo(command);
        command.SetAction(parse => CliErrors.Run(() => Run(
            compute.Read(parse),
            ModelFolders.Resolve(parse.GetValue(model)!, ModelFileKind.BaseModel, CancellationToken.None),
            ModelFolders.ResolveOptional(parse.GetValue(adapter), ModelFileKind.Adapter, CancellationToken.None),
            parse.GetValue(merge),
            parse.GetValue(input)!.FullName,
            parse.GetValue(output)!.FullName)));
        return command;
    }

    private static void Run(ComputeSettings compute, string modelDir, string? adapterDir, bool merge, string inputPath, string outputPath)
    {
        if (merge && adapterDir is null)
        {
            throw new CliUsageException("--merge needs --adapter.");
        }

        compute.EnsureAvailable();
        using var model = LlamaFamilyModel.Load(modelDir, compute.LoadOptions);
        using var adapter = adapterDir is null ? null : PeftAdapterFolder.Load(adapterDir);
        using var inputs = SafetensorsFile.Open(inputPath);
        if (!inputs.Contains("input_ids"))
        {
            throw new CliUsageException($"'{inputPath}' has no 'input_ids' tensor.");
        }

        using var ids = inputs.ReadTensor("input_ids", model.Device);
        using var mask = inputs.Contains("attention_mask") ? inputs.ReadTensor("attention_mask", model.Device) : null;
        if (ids.dtype != ScalarType.Int64 || ids.dim() != 2)
        {
            throw new CliUsageException($"'input_ids' in '{inputPath}' must be int64 [B,T], got {ids.dtype} [{string.Join(", ", ids.shape)}].");
        }

        if (mask is not null && (mask.dtype != ScalarType.Int64 || !mask.shape.SequenceEqual(ids.shape)))
        {
            throw new CliUsageException($"'attention_mask' in '{inputPath}' must be int64 with the shape of input_ids.");
        }

        if (adapter is not null && merge)
        {
            model.MergeAdapter(adapter);
        }

        using var active = adapter is not null && !merge ? model.PrepareAdapter(adapter) : null;
        using var noGrad = no_grad();
        using var result = model.Forward(new ModelForwardInput(ids) { AttentionMask = mask, Adapters = active });
        using var logits = result.Logits!.to(ScalarType.Float32, CPU).contiguous();
        SafetensorsWriter.Write(outputPath, [KeyValuePair.Create("logits", logits)], new Dictionary<string, string> { ["format"] = "pt" });
    }
}
