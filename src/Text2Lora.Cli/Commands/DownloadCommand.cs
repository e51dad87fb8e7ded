using System.CommandLine;
using Text2Lora.IO.Hub;

namespace Text2Lora.Cli.Commands;

/// <summary>
/// <c>t2l download REFERENCE [--kind K] [--include GLOB]...</c>: fills the Hugging Face cache with the files a model
/// kind needs and prints the local folder (what every model option resolves a hub reference to).
/// </summary>
internal static class DownloadCommand
{
    public static Command Create()
    {
        var reference = new Argument<string>("REFERENCE") { Description = "Hub reference org/name[@revision][:subfolder]." };
        var kind = new LowerCaseEnumOption<ModelFileKind>("--kind", "Which files the model kind needs (any case).", ModelFileKind.BaseModel);
        var include = new Option<string[]>("--include") { Description = "Glob pattern (relative to the subfolder) restricting the files; repeatable.", AllowMultipleArgumentsPerToken = false };
        var command = new Command("download", "Download a model from the Hugging Face hub into the shared cache and print its folder.") { reference, kind.Option, include };
        command.SetAction((parse, cancellationToken) =>
        {
            var writer = parse.InvocationConfiguration.Output;
            return CliErrors.RunAsync(() => Task.Run(
                () =>
                {
                    var text = parse.GetValue(reference)!;
                    if (!HubReference.TryParse(text, out _))
                    {
                        throw new CliUsageException($"'{text}' is not a hub reference of the form org/name[@revision][:subfolder].");
                    }

                    var patterns = parse.GetValue(include) is { Length: > 0 } given ? given : null;
                    writer.WriteLine(ModelFolders.Resolve(text, kind.Read(parse), cancellationToken, patterns));
                },
                cancellationToken));
        });
        return command;
    }
}
