using Text2Lora.LoraGeneration;
using System.CommandLine;
using Spectre.Console;
using Text2Lora.Abstractions;
using Text2Lora.IO.Hub;
using Text2Lora.IO.Peft;
using Text2Lora.IO.Safetensors;
using Text2Lora.Lora;
using Text2Lora.Runtime;
using static TorchSharp.torch;

namespace Text2Lora.Cli.Commands;

/// <summary>
/// <c>t2l generate --hypernetwork DIR [--base-model DIR] (--description TEXT | --task-embedding FILE) --output DIR</c>:
/// writes the generated adapter as a PEFT folder. A task-embedding file (safetensors, <c>task_embedding</c> float32
/// [1, D]) bypasses the encoder, for parity checks.
/// </summary>
internal static class GenerateCommand
{
    public const string TaskEmbeddingKey = "task_embedding";

    public static Command Create(IHypernetworkLoader loader)
    {
        var hypernetwork = new Option<string>("--hypernetwork") { Description = "The hypernetwork checkpoint folder or hub reference org/name[@revision][:subfolder].", Required = true };
        var baseModel = new Option<string?>("--base-model") { Description = "Overrides the base model (folder or hub reference) the checkpoint names; only its config.json is read." };
        var description = new Option<string?>("--description") { Description = "The task description, embedded with the MiniLM encoder." };
        var taskEmbedding = new Option<FileInfo?>("--task-embedding") { Description = $"A safetensors file with '{TaskEmbeddingKey}' float32 [1, D]; bypasses the encoder." };
        var output = new Option<DirectoryInfo>("--output") { Description = "Folder to write the PEFT adapter to (must not exist or be empty).", Required = true };
        var command = new Command("generate", "Generate a LoRA adapter from a task description.") { hypernetwork, baseModel, description, taskEmbedding, output };
        command.SetAction((parse, cancellationToken) => CliErrors.RunAsync(() => Task.Run(
            () => Generate(
                loader,
                ModelFolders.Resolve(parse.GetValue(hypernetwork)!, ModelFileKind.Hypernetwork, cancellationToken),
                ModelFolders.ResolveOptional(parse.GetValue(baseModel), ModelFileKind.ModelConfig, cancellationToken),
                parse.GetValue(description),
                parse.GetValue(taskEmbedding)?.FullName,
                parse.GetValue(output)!.FullName,
                cancellationToken),
            cancellationToken)));
        return command;
    }

    private static void Generate(
        IHypernetworkLoader loader, string hypernetworkDirectory, string? baseModelDirectory, string? description,
        string? taskEmbeddingPath, string outputDirectory, CancellationToken cancellationToken)
    {
        if ((description is null) == (taskEmbeddingPath is null))
        {
            throw new CliUsageException("Give exactly one of --description and --task-embedding.");
        }

        if (Directory.Exists(outputDirectory) && Directory.EnumerateFileSystemEntries(outputDirectory).Any())
        {
            throw new CliUsageException($"Output folder '{outputDirectory}' exists and is not empty; nothing was written. Choose a new folder.");
        }

        TorchRuntime.EnsureAvailable();
        var builder = Text2LoraBuilder.Create().WithHypernetwork(hypernetworkDirectory).WithHypernetworkLoader(loader).WithEmbeddingCache(0);
        if (baseModelDirectory is not null)
        {
            builder.WithBaseModel(baseModelDirectory);
        }

        LoraAdapter adapter;
        if (description is not null)
        {
            using var generator = builder.Build();
            adapter = generator.FromDescriptionAsync(description, cancellationToken).GetAwaiter().GetResult();
        }
        else
        {
            using var hypernetwork = loader.Load(hypernetworkDirectory, baseModelDirectory, CPU, cancellationToken);
            using var embedding = ReadTaskEmbedding(taskEmbeddingPath!, hypernetwork.TaskEmbeddingSize);
            adapter = hypernetwork.Generate(embedding, cancellationToken)[0];
        }

        using (adapter)
        {
            PeftAdapterFolder.Save(adapter, outputDirectory);
            AnsiConsole.MarkupLine($"[green]wrote[/] {Markup.Escape(outputDirectory)}: {adapter.Modules.Count} modules, r={adapter.Config.R}, target modules {Markup.Escape(adapter.Config.TargetModules?.ToString() ?? "(none)")}");
        }
    }

    /// <summary>Reads <c>task_embedding</c> float32 [1, D] from a safetensors file.</summary>
    private static Tensor ReadTaskEmbedding(string path, int size)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Task-embedding file '{path}' does not exist.", path);
        }

        using var file = SafetensorsFile.Open(path);
        if (!file.Contains(TaskEmbeddingKey))
        {
            throw new SafetensorsFormatException(path, $"it holds no '{TaskEmbeddingKey}' tensor (keys: {string.Join(", ", file.Keys)}).");
        }

        var embedding = file.ReadTensor(TaskEmbeddingKey);
        if (embedding.dtype != ScalarType.Float32 || embedding.dim() != 2 || embedding.shape[0] != 1 || embedding.shape[1] != size)
        {
            var problem = $"'{TaskEmbeddingKey}' is {embedding.dtype} [{string.Join(", ", embedding.shape)}]; the hypernetwork needs float32 [1, {size}].";
            embedding.Dispose();
            throw new SafetensorsFormatException(path, problem);
        }

        return embedding;
    }
}
