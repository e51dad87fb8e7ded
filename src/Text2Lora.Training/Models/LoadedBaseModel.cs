using Text2Lora.IO.Hub;
using Text2Lora.Models.Llama;
using Text2Lora.Training.Configuration;
using static TorchSharp.torch;
using Text2Lora.Tokenization;
using Text2Lora.Tokenization.ChatTemplates;
using Text2Lora.Tasks;

namespace Text2Lora.Training.Models;

/// <summary>A frozen base model with the prompt formatter its training examples go through. Owns the model.</summary>
public sealed class LoadedBaseModel : IDisposable
{
    private LoadedBaseModel(LlamaFamilyModel model, PromptFormatter formatter, int padTokenId)
    {
        Model = model;
        Formatter = formatter;
        PadTokenId = padTokenId;
    }

    /// <summary>The model (its weights never require gradients).</summary>
    public LlamaFamilyModel Model { get; }

    /// <summary>Formats examples with the completion-only loss.</summary>
    public PromptFormatter Formatter { get; }

    /// <summary>Id used to pad batches (<see cref="PaddingToken"/>); padded positions carry no loss.</summary>
    public int PadTokenId { get; }

    /// <summary>Wraps an already loaded model (taking ownership), e.g. a synthetic one without a tokenizer in benchmarks.</summary>
    internal static LoadedBaseModel FromModel(LlamaFamilyModel model, PromptFormatter formatter, int padTokenId) => new(model, formatter, padTokenId);

    /// <summary>
    /// Loads the model (in <see cref="BaseModelOptions.DType"/>, onto <paramref name="device"/>, default CPU) and its
    /// tokenizer (and chat template, per <see cref="BaseModelOptions.PromptFormat"/>). A hub reference in
    /// <see cref="BaseModelOptions.Directory"/> is resolved into the Hugging Face cache first.
    /// </summary>
    /// <exception cref="InvalidDataException">A chat template was asked for but the folder has none.</exception>
    public static LoadedBaseModel Load(BaseModelOptions options, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var directory = ConfigPaths.LocalModelFolder(options.Directory, ModelFileKind.BaseModel);
        var tokenizer = TokenizerLoader.Load(directory);
        var template = options.PromptFormat == PromptFormat.Plain ? null : ChatTemplate.FromModelDirectory(directory);
        if (template is null && options.PromptFormat == PromptFormat.ChatTemplate)
        {
            throw new InvalidDataException($"baseModel.promptFormat is chatTemplate but the model folder '{options.Directory}' has no recognised chat template.");
        }

        var model = LlamaFamilyModel.Load(directory, options.LoadOptions with { Device = device });
        var pad = PaddingToken.IdFor(model.Info, tokenizer);
        return new LoadedBaseModel(model, new PromptFormatter(tokenizer, template), pad);
    }

    /// <inheritdoc />
    public void Dispose() => Model.Dispose();
}
