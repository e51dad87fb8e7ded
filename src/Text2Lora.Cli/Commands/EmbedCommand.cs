using System.CommandLine;
using Spectre.Console;
using Text2Lora.Encoders;
using Text2Lora.Runtime;

namespace Text2Lora.Cli.Commands;

/// <summary>
/// <c>t2l embed --encoder DIR|ID [--base-model DIR] --description TEXT... --output FILE.safetensors</c>: writes
/// <c>task_embedding</c> [N, D] float32, exactly what a hypernetwork trained with that encoder receives (description
/// format and scaling applied, as <see cref="TaskEncoderSelection"/> decides them from the encoder's name).
/// </summary>
internal static class EmbedCommand
{
    public static Command Create()
    {
        var encoder = new Option<string>("--encoder") { Description = "Encoder folder or id (a gte or SFR folder; \"\" embeds with --base-model).", Required = true };
        var baseModel = new Option<DirectoryInfo?>("--base-model") { Description = "Base model folder, for --encoder \"\" (the base model embeds its own descriptions)." };
        var descriptions = new Option<string[]>("--description") { Description = "A task description (repeatable; one row each).", Required = true, AllowMultipleArgumentsPerToken = false };
        var output = new Option<FileInfo>("--output") { Description = "The safetensors file to write.", Required = true };
        var command = new Command("embed", "Embed task descriptions as a hypernetwork receives them.") { encoder, baseModel, descriptions, output };
        var compute = ComputeOptions.AddTo(command);
        command.SetAction((parse, cancellationToken) => CliErrors.RunAsync(() => Task.Run(
            () => Embed(compute.Read(parse), parse.GetValue(encoder)!, parse.GetValue(baseModel)?.FullName, parse.GetValue(descriptions)!, parse.GetValue(output)!.FullName, cancellationToken),
            cancellationToken)));
        return command;
    }

    private static void Embed(ComputeSettings compute, string encoderName, string? baseModelDirectory, string[] descriptions, string outputPath, CancellationToken cancellationToken)
    {
        compute.EnsureAvailable();
        var choice = TaskEncoderSelection.Choose(encoderName, source: "--encoder");
        using var loggerFactory = CliLogging.CreateFactory();
        using var encoder = new TaskEncoderLoader(loggerFactory: loggerFactory).Load(choice, new TaskEncoderLoadContext { BaseModelDirectory = baseModelDirectory, Device = compute.Device, DType = TaskEncoderLoadContext.DTypeFor(compute.DType) }, cancellationToken);
        using var embeddings = encoder.Encode(descriptions, cancellationToken);
        TaskEmbeddingFile.Save(embeddings, outputPath, new Dictionary<string, string> { ["encoder"] = choice.Id, ["description_format"] = choice.Format.ToString() });
        AnsiConsole.MarkupLine($"[green]wrote[/] {Markup.Escape(outputPath)}: task_embedding [[{embeddings.shape[0]}, {embeddings.shape[1]}]] ({Markup.Escape(choice.Family.ToString())} encoder, {choice.Format})");
    }
}
