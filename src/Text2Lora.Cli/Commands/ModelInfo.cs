using System.Globalization;
using Spectre.Console;
using Text2Lora.Models.Llama;
using Text2Lora.Tokenization;
using Text2Lora.Tokenization.ChatTemplates;

namespace Text2Lora.Cli.Commands;

/// <summary>
/// The model-folder section of <c>t2l info</c>: the architecture from <c>config.json</c>, the parameter count implied
/// by it (no weights are read), the tokenizer and chat template, and the LoRA-adaptable modules.
/// </summary>
internal static class ModelInfo
{
    public const string ConfigFileName = "config.json";

    public static void Describe(string path)
    {
        var config = LlamaFamilyConfig.Load(path);
        var parameters = LlamaFamilyModel.CountParameters(config);
        AnsiConsole.MarkupLine($"[bold]{Markup.Escape(config.ModelType)} model[/] {Markup.Escape(path)}");
        Line("parameters", parameters.ToString("N0", CultureInfo.InvariantCulture) + (config.TieWordEmbeddings ? " (output head tied to the embeddings)" : ""));
        Line("layers", Number(config.NumHiddenLayers));
        Line("hidden / intermediate", $"{Number(config.HiddenSize)} / {Number(config.IntermediateSize)}");
        Line("attention heads", $"{config.NumAttentionHeads} query, {config.NumKeyValueHeads} key/value, head dim {config.HeadDim}");
        Line("vocabulary", Number(config.VocabSize));
        Line("max positions", Number(config.MaxPositionEmbeddings));
        Line("rope theta", config.RopeTheta.ToString("G", CultureInfo.InvariantCulture) + (config.RopeScaling is null ? "" : " (scaled)"));
        if (config.SlidingWindow is { } window)
        {
            Line("sliding window", Number(window));
        }

        Line("tokenizer", File.Exists(Path.Combine(path, TokenizerLoader.SentencePieceFileName)) ? "SentencePiece (tokenizer.model)"
            : File.Exists(Path.Combine(path, TokenizerLoader.TokenizerJsonFileName)) ? "byte-level BPE (tokenizer.json)"
            : "none");
        Line("chat template", Describe(() => ChatTemplate.FromModelDirectory(path)?.Family.ToString() ?? "none (plain base model)"));

        var targets = config.LoraTargets();
        var table = new Table().AddColumns("LoRA target module", "in", "out");
        foreach (var module in targets.Modules)
        {
            table.AddRow(Markup.Escape(module.Name), Number(module.InFeatures), Number(module.OutFeatures));
        }

        AnsiConsole.Write(table);
    }

    private static string Describe(Func<string> read)
    {
        try
        {
            return read();
        }
        catch (TokenizerFormatException ex)
        {
            return $"unreadable ({ex.Message})";
        }
    }

    private static void Line(string name, string value) =>
        AnsiConsole.MarkupLine($"  {Markup.Escape((name + ":").PadRight(23))}{Markup.Escape(value)}");

    private static string Number(int value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
