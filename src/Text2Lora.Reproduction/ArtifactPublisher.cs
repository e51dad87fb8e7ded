using System.Globalization;
using System.Text;
using Text2Lora.IO;

namespace Text2Lora.Reproduction;

/// <summary>
/// Copies the pipeline's final artifacts into the publish folder: <c>t2l-tiny-base</c> (the base model folder),
/// <c>t2l-tiny-sft</c> and <c>t2l-tiny-recon</c> (hypernetwork folders), each with its stage's <c>metrics.csv</c> and
/// <c>loss.png</c> and a generated <c>README.md</c>. Each folder is assembled beside its destination and swapped in
/// with renames, so a failure leaves the previous folder in place.
/// </summary>
internal static class ArtifactPublisher
{
    /// <summary>The published folders' names.</summary>
    internal const string BaseModelName = "t2l-tiny-base", SftName = "t2l-tiny-sft", ReconstructionName = "t2l-tiny-recon";

    /// <summary>Publishes <paramref name="artifacts"/> (trained in <paramref name="outputDirectory"/>) into <paramref name="publishDirectory"/>.</summary>
    /// <param name="publishDirectory">The folder that receives the published model folders.</param>
    /// <param name="artifacts">The trained artifacts' folders.</param>
    /// <param name="outputDirectory">The pipeline's output folder.</param>
    /// <param name="summary">The results' summary table (Markdown), quoted in each README.</param>
    public static void Publish(string publishDirectory, ReproductionArtifacts artifacts, string outputDirectory, string summary)
    {
        Directory.CreateDirectory(publishDirectory);
        foreach (var (name, source, stage, what) in new[]
        {
            (BaseModelName, artifacts.BaseModelDirectory, ReproductionPipeline.BaseStage,
                "A tiny Llama-architecture base model trained from scratch by `t2l train base` on instruction-formatted examples (`{description}\\nInput: {input}` → ` {output}`, and 25 % input only) of the task suite's training tasks. Hugging Face format (`config.json`, `model.safetensors`, tokenizer files; the training options in `t2l_pretraining.json`); loads with `LlamaFamilyModel.Load` and `TokenizerLoader.Load`, and with transformers' `LlamaForCausalLM`. The tokenizer is stories260K's 512-piece SentencePiece model (MIT, Andrej Karpathy; see `LICENSE` and `PROVENANCE.md`)."),
            (SftName, artifacts.SftDirectory, ReproductionPipeline.SftStage,
                "A T2L hypernetwork trained by SFT (`t2l train sft`) through the frozen `t2l-tiny-base` on the suite's training tasks, with the all-MiniLM-L6-v2 task encoder. `t2l demo --hypernetwork models/t2l-tiny-sft` uses it."),
            (ReconstructionName, artifacts.ReconstructionDirectory, ReproductionPipeline.ReconstructionStage,
                "A T2L hypernetwork trained by reconstruction (`t2l train recon`) of the oracle LoRAs of the suite's training tasks on `t2l-tiny-base`, with the all-MiniLM-L6-v2 task encoder. `t2l demo` uses it by default."),
        })
        {
            var staging = Path.Combine(publishDirectory, $".{name}.staging");
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }

            FolderFiles.Copy(source, staging);

            foreach (var file in new[] { "metrics.csv", "loss.png" })
            {
                var path = Path.Combine(outputDirectory, stage, file);
                if (File.Exists(path))
                {
                    File.Copy(path, Path.Combine(staging, file), overwrite: true);
                }
            }

            File.WriteAllText(Path.Combine(staging, "README.md"), Readme(name, what, summary));
            Swap(staging, Path.Combine(publishDirectory, name));
        }
    }

    private static string Readme(string name, string what, string summary)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"# {name}");
        text.AppendLine();
        text.AppendLine("<!-- Written by `t2l reproduce` (src/Text2Lora.Reproduction); do not edit by hand. -->");
        text.AppendLine();
        text.AppendLine(what);
        text.AppendLine();
        text.AppendLine("Trained by the pipeline `t2l reproduce --config configs/reproduce/pipeline.json`, which regenerates this folder; the configs of every stage are in `configs/reproduce/`, the stage's training curve is `metrics.csv` / `loss.png`, and the full results table (per task, seeds, run times) is `docs/results.md`. Its summary:");
        text.AppendLine();
        text.Append(summary);

        return text.ToString();
    }

    private static void Swap(string staging, string destination)
    {
        var previous = destination + ".previous";
        if (Directory.Exists(previous))
        {
            Directory.Delete(previous, recursive: true);
        }

        if (Directory.Exists(destination))
        {
            Directory.Move(destination, previous);
        }

        Directory.Move(staging, destination);
        if (Directory.Exists(previous))
        {
            Directory.Delete(previous, recursive: true);
        }
    }
}
