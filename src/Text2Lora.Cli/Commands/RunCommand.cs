using Text2Lora.TextGeneration;
using System.CommandLine;
using Text2Lora.IO.Hub;
using Text2Lora.IO.Peft;
using Text2Lora.Models.Llama;
using Text2Lora.Runtime;
using Text2Lora.Tokenization;
using Text2Lora.Tokenization.ChatTemplates;

namespace Text2Lora.Cli.Commands;

/// <summary>
/// <c>t2l run --model DIR [--adapter DIR] --prompt TEXT [--chat] [--max-new-tokens N] [--temperature T] [--seed S] [--truncate-prompt] [--stop TEXT]...</c>:
/// prints the prompt's completion (streamed as it is decoded, then a newline). Greedy unless a temperature above 0
/// is given; <c>--chat</c> sends the prompt as a user message through the model's chat template.
/// </summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Hugging Face model folder (config.json, safetensors, tokenizer files) or hub reference org/name[@revision][:subfolder].", Required = true };
        var adapter = new Option<string?>("--adapter") { Description = "PEFT LoRA adapter folder (or hub reference) to apply." };
        var prompt = new Option<string>("--prompt") { Description = "The text to continue (with --chat: the user message).", Required = true };
        var chat = new Option<bool>("--chat") { Description = "Render the prompt through the model's chat template (error if it has none)." };
        var maxNewTokens = new Option<int>("--max-new-tokens") { Description = "Most tokens to generate.", DefaultValueFactory = _ => new GenerationOptions().MaxNewTokens };
        var temperature = new Option<double>("--temperature") { Description = "Sampling temperature; 0 (default) decodes greedily." };
        var seed = new Option<long?>("--seed") { Description = "Seed of the sampler (with --temperature)." };
        var truncatePrompt = new Option<bool>("--truncate-prompt") { Description = "Keep the last tokens of a prompt longer than the model's context instead of refusing it (exit code 3)." };
        var stop = new Option<string[]>("--stop") { Description = "Text that ends the completion (not printed); repeatable.", AllowMultipleArgumentsPerToken = false };
        var command = new Command("run", "Complete a prompt with a base model (optionally with a LoRA adapter).")
        {
            model, adapter, prompt, chat, maxNewTokens, temperature, seed, truncatePrompt, stop,
        };
        var compute = ComputeOptions.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
        {
            var writer = parse.InvocationConfiguration.Output;
            return CliErrors.RunAsync(() => Task.Run(
                () =>
                {
                    var settings = compute.Read(parse);
                    var request = new RunRequest(
                        ModelFolders.Resolve(parse.GetValue(model)!, ModelFileKind.BaseModel, cancellationToken),
                        ModelFolders.ResolveOptional(parse.GetValue(adapter), ModelFileKind.Adapter, cancellationToken),
                        parse.GetValue(prompt)!,
                        parse.GetValue(chat),
                        new GenerationOptions { MaxNewTokens = parse.GetValue(maxNewTokens), Temperature = parse.GetValue(temperature), Seed = parse.GetValue(seed), TruncatePrompt = parse.GetValue(truncatePrompt) },
                        parse.GetValue(stop) ?? [],
                        settings);
                    return Run(request, writer, cancellationToken);
                },
                cancellationToken));
        });
        return command;
    }

    /// <summary>One parsed <c>t2l run</c>.</summary>
    internal sealed record RunRequest(string ModelDirectory, string? AdapterDirectory, string Prompt, bool Chat, GenerationOptions Options, IReadOnlyList<string> StopStrings, ComputeSettings? Compute = null);

    /// <summary>Validates, loads and writes the completion to <paramref name="writer"/>; returns it.</summary>
    internal static TextCompletion Run(RunRequest request, TextWriter writer, CancellationToken cancellationToken)
    {
        Validate(request);
        var compute = request.Compute ?? ComputeSettings.Default;
        compute.EnsureAvailable();
        var tokenizer = TokenizerLoader.Load(request.ModelDirectory);
        ChatTemplate? template = null;
        if (request.Chat)
        {
            template = ChatTemplate.FromModelDirectory(request.ModelDirectory)
                ?? throw new CliUsageException($"--chat: model folder '{request.ModelDirectory}' has no chat template ('chat_template' in tokenizer_config.json or chat_template.jinja); run without --chat.");
        }

        var promptIds = request.Chat ? ChatPrompt.Encode(tokenizer, template, [ChatTurn.User(request.Prompt)]) : ChatPrompt.Encode(tokenizer, null, request.Prompt);
        using var model = LlamaFamilyModel.Load(request.ModelDirectory, compute.LoadOptions, cancellationToken: cancellationToken);
        using var adapter = request.AdapterDirectory is null ? null : PeftAdapterFolder.Load(request.AdapterDirectory);
        using var active = adapter is null ? null : model.PrepareAdapter(adapter);
        var completion = new TextGenerator(model, tokenizer).Generate(promptIds, request.Options, request.StopStrings, active, writer.Write, cancellationToken);
        writer.WriteLine();
        writer.Flush();
        return completion;
    }

    private static void Validate(RunRequest request)
    {
        if (request.Prompt.Length == 0)
        {
            throw new CliUsageException("--prompt must not be empty.");
        }

        if (request.Options.MaxNewTokens < 1)
        {
            throw new CliUsageException($"--max-new-tokens must be at least 1 (got {request.Options.MaxNewTokens}).");
        }

        if (!(request.Options.Temperature >= 0) || double.IsInfinity(request.Options.Temperature))
        {
            throw new CliUsageException($"--temperature must be a finite number ≥ 0 (got {request.Options.Temperature}).");
        }

        if (request.StopStrings.Any(s => s.Length == 0))
        {
            throw new CliUsageException("--stop must not be empty.");
        }

        foreach (var (option, path) in new[] { ("--model", request.ModelDirectory), ("--adapter", request.AdapterDirectory) })
        {
            if (path is not null && !Directory.Exists(path))
            {
                throw new DirectoryNotFoundException($"{option} folder '{path}' does not exist.");
            }
        }
    }
}
