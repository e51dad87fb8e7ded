using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Text2Lora.Abstractions;
using Text2Lora.Encoders;
using Text2Lora.Evaluation.Models;
using Text2Lora.IO.Peft;
using Text2Lora.Lora;
using Text2Lora.LoraGeneration;
using Text2Lora.Models.Llama;
using Text2Lora.Tasks;
using Text2Lora.TextGeneration;
using Text2Lora.Tokenization;

namespace Text2Lora.Evaluation.Demo;

/// <summary>
/// The flow of <c>t2l demo</c>: generates a LoRA adapter from a description with a hypernetwork (its task encoder is
/// the one the checkpoint names, <see cref="CheckpointTaskEncoder"/>), answers each input greedily three ways — plain
/// base model (<c>&lt;s&gt;{input}</c>), description in the prompt (<see cref="DescribedInput"/>), base + adapter — and
/// optionally saves the adapter as a PEFT folder.
/// </summary>
public static class DescriptionDemo
{
    /// <summary>Loads the models, generates the adapter, answers every input three ways; saves the adapter when asked.</summary>
    /// <param name="loader">Loads the hypernetwork folder.</param>
    /// <param name="request">What to run; its folders must exist.</param>
    /// <param name="createLoggerFactory">Creates the logger factory of this call, disposed (flushed) before it returns; null: no logging.</param>
    /// <param name="cancellationToken">Stops loading, generation and answering.</param>
    public static async Task<DemoResult> RunAsync(IHypernetworkLoader loader, DemoRequest request, Func<ILoggerFactory>? createLoggerFactory = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(loader);
        ArgumentNullException.ThrowIfNull(request);
        var loadOptions = ModelLoadPreparation.Prepare(request.Load);
        var clock = Stopwatch.StartNew();
        using var loggerFactory = createLoggerFactory?.Invoke() ?? new NullLoggerFactory();
        var tokenizer = TokenizerLoader.Load(request.ModelDirectory);
        using var model = LlamaFamilyModel.Load(request.ModelDirectory, loadOptions, logger: loggerFactory.CreateLogger<LlamaFamilyModel>(), cancellationToken: cancellationToken);
        using var hypernetwork = loader.Load(request.HypernetworkDirectory, request.ModelDirectory, loadOptions.Device!, loadOptions.DType, cancellationToken);
        using var encoder = CheckpointTaskEncoder.Load(
            hypernetwork, request.HypernetworkDirectory, request.Encoder, new TaskEncoderLoadContext { BaseModel = model, BaseModelTokenizer = tokenizer }, loggerFactory: loggerFactory, cancellationToken: cancellationToken);
        using var generator = Text2LoraBuilder.Create().WithHypernetwork(hypernetwork).WithTaskEncoder(encoder).WithEmbeddingCache(0).WithLoggerFactory(loggerFactory).Build();
        var load = clock.Elapsed;

        clock.Restart();
        using var adapter = await generator.FromDescriptionAsync(request.Description, cancellationToken).ConfigureAwait(false);
        var generation = clock.Elapsed;

        clock.Restart();
        var options = new GenerationOptions { MaxNewTokens = request.MaxNewTokens };
        IReadOnlyList<string> Answer(Func<string, string> prompt, ActiveAdapters? adapters)
        {
            var ids = request.Inputs.Select(input => (IReadOnlyList<int>)tokenizer.Encode(prompt(input), addSpecialTokens: true)).ToList();
            using var result = model.Generate(ids, options, adapters, cancellationToken);
            return result.Sequences.Select(s => tokenizer.Decode(s.TokenIds, skipSpecialTokens: true).Trim()).ToList();
        }

        var plain = Answer(input => input, null);
        var described = Answer(input => DescribedInput.Compose(request.Description, input), null);
        IReadOnlyList<string> adapted;
        using (var active = model.PrepareAdapter(adapter))
        {
            adapted = Answer(input => input, active);
        }

        var answering = clock.Elapsed;
        if (request.SaveAdapterDirectory is { } directory)
        {
            PeftAdapterFolder.Save(adapter, directory);
        }

        var rows = request.Inputs.Select((input, i) => new DemoRow(input, plain[i], described[i], adapted[i])).ToList();
        var parameters = adapter.Modules.Values.Sum(w => (int)(w.A.numel() + w.B.numel()));
        return new DemoResult(rows, load, generation, answering, parameters);
    }
}
