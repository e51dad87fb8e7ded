using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Text2Lora.Abstractions;
using Text2Lora.Chat;
using Text2Lora.IO.Hub;
using Text2Lora.LoraGeneration;
using Text2Lora.Models.Llama;
using Text2Lora.Tokenization;
using Text2Lora.Tokenization.ChatTemplates;
using static TorchSharp.torch;

namespace Text2Lora.DependencyInjection;

/// <summary>
/// What <c>services.AddText2Lora(...)</c> returns (as <c>AddChatClient</c> does in Microsoft.Extensions.AI): adds the
/// rest of the description → adapter → answer path to the same registration — the base model
/// (<see cref="AddBaseModel"/>), an <see cref="IChatClient"/> with per-request adapters (<see cref="AddChatClient"/>)
/// and loading at start instead of on first use (<see cref="WarmUp"/>). Every service is registered under
/// <see cref="ServiceKey"/> (null: not keyed).
/// </summary>
public sealed class Text2LoraServicesBuilder
{
    internal Text2LoraServicesBuilder(IServiceCollection services, object? serviceKey)
    {
        Services = services;
        ServiceKey = serviceKey;
    }

    /// <summary>The service collection the registrations go to.</summary>
    public IServiceCollection Services { get; }

    /// <summary>The key of every registration of this builder (<c>AddKeyedText2Lora</c>); null when not keyed.</summary>
    public object? ServiceKey { get; }

    /// <summary>
    /// Registers the base model of <see cref="Text2LoraOptions.BaseModelDirectory"/> (a folder or hub reference) as
    /// <see cref="IBaseModel"/> (and <see cref="LlamaFamilyModel"/>), its tokenizer as <see cref="ITextTokenizer"/>,
    /// loaded on the options' device with <paramref name="dtype"/> (default float32). Start-up validation then requires
    /// the option.
    /// </summary>
    public Text2LoraServicesBuilder AddBaseModel(ScalarType dtype = ScalarType.Float32)
    {
        Services.AddSingleton(new BaseModelRegistration(ServiceKey));
        Services.TryAddKeyedSingleton(ServiceKey, (sp, key) => Text2LoraRegistration.Timed(sp, "base model", () =>
        {
            var options = new ModelLoadOptions { Device = device(Text2LoraRegistration.Options(sp, key).Device), DType = dtype };
            return LlamaFamilyModel.Load(BaseModelFolder(sp, key), options, Text2LoraRegistration.LoggerFactory(sp).CreateLogger<LlamaFamilyModel>());
        }));
        Services.TryAddKeyedSingleton<IBaseModel>(ServiceKey, (sp, key) => sp.GetRequiredKeyedService<LlamaFamilyModel>(key));
        Services.TryAddKeyedSingleton(ServiceKey, (sp, key) => Text2LoraRegistration.Timed(sp, "tokenizer", () => TokenizerLoader.Load(BaseModelFolder(sp, key))));
        return this;
    }

    /// <summary>
    /// Registers an <see cref="IChatClient"/> over the base model (adds <see cref="AddBaseModel"/> when missing) that
    /// answers each request with the adapter it asks for: a task description
    /// (<see cref="Text2LoraChatOptions.WithTaskDescription"/>, one hypernetwork pass per request) or a ready adapter
    /// (<see cref="Text2LoraChatOptions.WithAdapter"/>); without either, the base model answers.
    /// </summary>
    public Text2LoraServicesBuilder AddChatClient()
    {
        if (!Services.Any(d => d.ServiceType == typeof(LlamaFamilyModel) && Equals(d.ServiceKey, ServiceKey)))
        {
            AddBaseModel();
        }

        Services.TryAddKeyedSingleton<IChatClient>(ServiceKey, (sp, key) =>
        {
            var directory = BaseModelFolder(sp, key);
            var inner = new BaseModelChatClient(
                sp.GetRequiredKeyedService<IBaseModel>(key),
                sp.GetRequiredKeyedService<ITextTokenizer>(key),
                ChatTemplate.FromModelDirectory(directory),
                Path.GetFileName(Path.TrimEndingDirectorySeparator(directory)));
            return new TaskAdapterChatClient(inner, sp.GetRequiredKeyedService<ILoraGenerator>(key));
        });
        return this;
    }

    /// <summary>
    /// Loads everything registered here when the host starts (an <see cref="IHostedService"/>) instead of on the first
    /// request, checks what only loading can tell (the encoder's embedding size against the hypernetwork's), and, when
    /// <paramref name="runOnce"/>, generates one adapter and decodes one token so the first request also skips the
    /// one-time costs of the first inference. Each step is logged with its time.
    /// </summary>
    public Text2LoraServicesBuilder WarmUp(bool runOnce = true)
    {
        var key = ServiceKey;
        Services.AddSingleton<IHostedService>(sp => new Text2LoraWarmUpService(sp, key, runOnce));
        return this;
    }

    /// <summary>The loaded base model's folder (hub references resolved).</summary>
    private static string BaseModelFolder(IServiceProvider sp, object? key)
    {
        var reference = Text2LoraRegistration.Options(sp, key).BaseModelDirectory
            ?? throw new InvalidOperationException($"{nameof(Text2LoraOptions.BaseModelDirectory)} is required by AddBaseModel()/AddChatClient(): the base model's folder or hub reference.");
        return sp.GetRequiredService<HubModelResolver>().Resolve(reference, ModelFileKind.BaseModel);
    }
}

/// <summary>Marks that a builder with this key registered a base model (start-up validation then requires its folder).</summary>
internal sealed record BaseModelRegistration(object? ServiceKey);
