using Text2Lora.LoraGeneration;
using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;
using Text2Lora.Abstractions;
using Text2Lora.Encoders;
using Text2Lora.IO.Hub;
using Text2Lora.IO.Peft;
using Text2Lora.IO.Safetensors;
using Text2Lora.Lora;
using Text2Lora.Runtime;
using static TorchSharp.torch;

namespace Text2Lora.Cli.Commands;

/// <summary>
/// <c>t2l generate --hypernetwork DIR [--base-model DIR] [--encoder DIR|ID] (--description TEXT | --task-embedding FILE) --output DIR</c>:
/// writes the generated adapter as a PEFT folder. The description goes through the checkpoint's own encoder and
/// preprocessing (<see cref="CheckpointTaskEncoder"/>), or the encoder <c>--encoder</c> names. A task-embedding file
/// (safetensors, <c>task_embedding</c> float32 [1, D], as <c>t2l embed</c> writes) bypasses the encoder, for parity checks.
/// </summary>
internal static class GenerateCommand
{
    public const string TaskEmbeddingKey = TaskEmbeddingFile.TensorName;

    public static Command Create(IHypernetworkLoader loader)
    {
        var hypernetwork = new Option<string>("--hypernetwork") { Description = "The hypernetwork checkpoint folder or hub reference org/name[@revision][:subfolder].", Required = true };
        var baseModel = new Option<string?>("--base-model") { Description = "Overrides the base model (folder or hub reference) the checkpoint names; only its config.json is read." };
        var description = new Option<string?>("--description") { Description = "The task description, embedded with the checkpoint's description encoder." };
        var encoder = new Option<string?>("--encoder") { Description = "Description encoder folder or id, overriding the one the checkpoint names (e.g. a local copy of Alibaba-NLP/gte-large-en-v1.5)." };
        var taskEmbedding = new Option<FileInfo?>("--task-embedding") { Description = $"A safetensors file with '{TaskEmbeddingKey}' float32 [1, D]; bypasses the encoder." };
        var output = new Option<DirectoryInfo>("--output") { Description = "Folder to write the PEFT adapter to (must not exist or be empty).", Required = true };
        var json = new Option<bool>("--json") { Description = "Print one JSON object on stdout (output folder, rank, alpha, modules, target modules, base model, description) instead of the text line." };
        var command = new Command("generate", "Generate a LoRA adapter from a task description.") { hypernetwork, baseModel, description, encoder, taskEmbedding, output, json };
        var compute = ComputeOptions.AddTo(command);
        command.SetAction((parse, cancellationToken) => CliErrors.RunAsync(() => Task.Run(
            () => Generate(
                loader,
                compute.Read(parse),
                ModelFolders.Resolve(parse.GetValue(hypernetwork)!, ModelFileKind.Hypernetwork, cancellationToken),
                ModelFolders.ResolveOptional(parse.GetValue(baseModel), ModelFileKind.ModelConfig, cancellationToken),
                parse.GetValue(description),
                parse.GetValue(encoder),
                parse.GetValue(taskEmbedding)?.FullName,
                parse.GetValue(output)!.FullName,
                parse.GetValue(json) ? parse.InvocationConfiguration.Output : null,
                cancellationToken),
            cancellationToken)));
        return command;
    }

    private static void Generate(
        IHypernetworkLoader loader, ComputeSettings compute, string hypernetworkDirectory, string? baseModelDirectory, string? description,
        string? encoderOverride, string? taskEmbeddingPath, string outputDirectory, TextWriter? json, CancellationToken cancellationToken)
    {
        if ((description is null) == (taskEmbeddingPath is null))
        {
            throw new CliUsageException("Give exactly one of --description and --task-embedding.");
        }

        if (Directory.Exists(outputDirectory) && Directory.EnumerateFileSystemEntries(outputDirectory).Any())
        {
            throw new CliUsageException($"Output folder '{outputDirectory}' exists and is not empty; nothing was written. Choose a new folder.");
        }

        compute.EnsureAvailable();
        using var loggerFactory = CliLogging.CreateFactory();
        var builder = Text2LoraBuilder.Create().WithHypernetwork(hypernetworkDirectory).WithHypernetworkLoader(loader).WithEmbeddingCache(0).WithLoggerFactory(loggerFactory)
            .WithDevice(compute.DeviceName).WithDType(compute.DTypeName);
        if (baseModelDirectory is not null)
        {
            builder.WithBaseModel(baseModelDirectory);
        }

        if (encoderOverride is not null)
        {
            builder.WithEncoder(encoderOverride);
        }

        LoraAdapter adapter;
        if (description is not null)
        {
            using var generator = builder.Build();
            adapter = generator.FromDescriptionAsync(description, cancellationToken).GetAwaiter().GetResult();
        }
        else
        {
            using var hypernetwork = loader.Load(hypernetworkDirectory, baseModelDirectory, compute.Device, compute.DType, cancellationToken);
            using var embedding = TaskEmbeddingFile.Load(taskEmbeddingPath!, hypernetwork.TaskEmbeddingSize);
            if (embedding.shape[0] != 1)
            {
                throw new CliUsageException($"'{taskEmbeddingPath}' holds {embedding.shape[0]} task embeddings; generate writes one adapter, so give a file with one row.");
            }

            adapter = hypernetwork.Generate(embedding, cancellationToken)[0];
        }

        using (adapter)
        {
            PeftAdapterFolder.Save(adapter, outputDirectory);
            if (json is not null)
            {
                json.WriteLine(DescribeAsJson(adapter, outputDirectory).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
                return;
            }

            AnsiConsole.MarkupLine($"[green]wrote[/] {Markup.Escape(outputDirectory)}: {adapter.Modules.Count} modules, r={adapter.Config.R}, target modules {Markup.Escape(adapter.Config.TargetModules?.ToString() ?? "(none)")}");
        }
    }

    /// <summary>The <c>--json</c> view of a written adapter: what the text line says, as one object.</summary>
    internal static JsonObject DescribeAsJson(LoraAdapter adapter, string outputDirectory)
    {
        ArgumentNullException.ThrowIfNull(adapter);
        var config = adapter.Config;
        return new JsonObject
        {
            ["output"] = outputDirectory,
            ["base_model"] = config.BaseModelNameOrPath,
            ["rank"] = config.R,
            ["alpha"] = config.LoraAlpha,
            ["use_rslora"] = config.UseRslora,
            ["target_modules"] = config.TargetModules?.ToString(),
            ["modules"] = adapter.Modules.Count,
            ["task_description"] = adapter.TaskDescription,
        };
    }
}
