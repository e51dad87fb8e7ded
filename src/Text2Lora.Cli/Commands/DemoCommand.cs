using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Text2Lora.Abstractions;
using Text2Lora.Evaluation.Demo;
using Text2Lora.IO.Hub;
using Text2Lora.IO.Peft;
using Text2Lora.Tasks;

namespace Text2Lora.Cli.Commands;

/// <summary>
/// <c>t2l demo [--description TEXT] [--input TEXT]... [--save-adapter DIR] [--model DIR] [--hypernetwork DIR] [--max-new-tokens N]</c>: the
/// README's first command. Generates a LoRA adapter from the description with the committed T2L hypernetwork
/// (<c>models/t2l-tiny-recon</c>, trained by <c>t2l reproduce</c>) for the committed tiny base model
/// (<c>models/t2l-tiny-base</c>), answers a few inputs greedily without and with it (and, for comparison, with the
/// description in the prompt), prints the answers side by side, and optionally saves the adapter as a PEFT folder.
/// The prompts are the ones the models were trained with: <c>&lt;s&gt;{input}</c> for the plain and adapted base model,
/// <c>&lt;s&gt;{description}\nInput: {input}</c> (<see cref="DescribedInput"/>) for the description in the prompt.
/// Loading logs through <see cref="CliLogging"/>; the logger is flushed before the table is printed.
/// </summary>
internal static class DemoCommand
{
    /// <summary>
    /// The first description of the suite's training task <c>first_letter</c>. Any other wording or task can be given
    /// with <c>--description</c>; <c>docs/results.md</c> shows how the hypernetworks fare on held-out tasks and wordings.
    /// </summary>
    internal const string DefaultDescription = "Give the first letter of the word.";

    /// <summary>Single words, the input kind of the default task (inputs of other kinds can be given with --input).</summary>
    internal static readonly string[] DefaultInputs = ["donkey", "umbrella", "kitten", "forest", "juice", "quiet"];

    /// <summary>The files of a saved adapter (<see cref="PeftAdapterFolder"/>): a folder holding only these may be overwritten.</summary>
    private static readonly HashSet<string> AdapterFiles = new(StringComparer.Ordinal) { "adapter_config.json", "adapter_model.safetensors", "task_desc.txt" };

    /// <summary>The committed model folders, relative to the repository root (and to the installed tool's folder).</summary>
    internal const string DefaultModel = "models/t2l-tiny-base", DefaultHypernetwork = "models/t2l-tiny-recon";

    public static Command Create(IHypernetworkLoader loader)
    {
        var description = new Option<string>("--description") { Description = "The task, in plain language.", DefaultValueFactory = _ => DefaultDescription };
        var inputs = new Option<string[]>("--input") { Description = "An input to answer (repeatable; default: six words).", AllowMultipleArgumentsPerToken = false };
        var saveAdapter = new Option<DirectoryInfo?>("--save-adapter") { Description = "Also save the generated adapter as a PEFT folder here (new, empty, or holding a previous adapter)." };
        var model = new Option<string?>("--model") { Description = $"Base model folder or hub reference (default: {DefaultModel} of this repository)." };
        var hypernetwork = new Option<string?>("--hypernetwork") { Description = $"Hypernetwork folder or hub reference (default: {DefaultHypernetwork}; models/t2l-tiny-sft is the SFT-trained one)." };
        var encoder = new Option<string?>("--encoder") { Description = "Description encoder folder or id, overriding the one the hypernetwork checkpoint names." };
        var maxNewTokens = new Option<int>("--max-new-tokens") { Description = "Most tokens per answer.", DefaultValueFactory = _ => 24 };
        var command = new Command("demo", "Describe a task, get a LoRA adapter in one hypernetwork pass, and compare answers with and without it.")
        {
            description, inputs, saveAdapter, model, hypernetwork, encoder, maxNewTokens,
        };
        var compute = ComputeOptions.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
        {
            var console = CliConsole.For(parse.InvocationConfiguration.Output);
            return CliErrors.RunAsync(async () =>
            {
                var settings = compute.Read(parse);
                var request = new DemoRequest(
                    parse.GetValue(description)!,
                    parse.GetValue(inputs) is { Length: > 0 } given ? given : DefaultInputs,
                    ModelFolders.ResolveOptional(parse.GetValue(model), ModelFileKind.BaseModel, cancellationToken) ?? RepositoryPath(DefaultModel, "--model"),
                    ModelFolders.ResolveOptional(parse.GetValue(hypernetwork), ModelFileKind.Hypernetwork, cancellationToken) ?? RepositoryPath(DefaultHypernetwork, "--hypernetwork"),
                    parse.GetValue(saveAdapter)?.FullName,
                    parse.GetValue(maxNewTokens),
                    parse.GetValue(encoder),
                    settings.LoadOptions);
                Print(await RunAsync(loader, request, cancellationToken).ConfigureAwait(false), request, console);
            });
        });
        return command;
    }

    /// <summary>Checks the request as <c>t2l demo</c>'s options, then runs <see cref="DescriptionDemo"/> with console logging.</summary>
    internal static Task<DemoResult> RunAsync(IHypernetworkLoader loader, DemoRequest request, CancellationToken cancellationToken)
    {
        Validate(request);
        return DescriptionDemo.RunAsync(loader, request, CliLogging.CreateFactory, cancellationToken);
    }

    private static void Print(DemoResult result, DemoRequest request, IAnsiConsole console)
    {
        console.MarkupLine($"[bold]Task description:[/] {Markup.Escape(request.Description)}");
        console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
            $"[grey]Adapter: {result.AdapterParameters:N0} LoRA parameters generated in {result.AdapterGeneration.TotalMilliseconds:F0} ms by {Markup.Escape(request.HypernetworkDirectory)}[/]"));
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("input").AddColumn("base model").AddColumn("base + description in the prompt").AddColumn("[bold]base + generated adapter[/]");
        foreach (var row in result.Rows)
        {
            table.AddRow(Markup.Escape(row.Input), Markup.Escape(row.Base), Markup.Escape(row.BaseWithDescription), $"[bold]{Markup.Escape(row.Adapted)}[/]");
        }

        console.Write(table);
        console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
            $"[grey]Loading {result.Load.TotalSeconds:F1} s, adapter {result.AdapterGeneration.TotalMilliseconds:F0} ms, answering {result.Answering.TotalMilliseconds:F0} ms (greedy, at most {request.MaxNewTokens} tokens).[/]"));
        if (request.SaveAdapterDirectory is { } directory)
        {
            console.MarkupLine($"Adapter saved as a PEFT folder: {Markup.Escape(directory)}");
            console.MarkupLine($"[grey]Use it: t2l run --model {Markup.Escape(request.ModelDirectory)} --adapter {Markup.Escape(directory)} --prompt donkey; in Python, PeftModel.from_pretrained(model, \"{Markup.Escape(directory)}\").[/]");
        }
        else
        {
            console.MarkupLine("[grey]Add --save-adapter DIR to keep the adapter as a PEFT folder, --description \"...\" to describe another task, --input TEXT (repeatable) for other inputs.[/]");
        }
    }

    private static void Validate(DemoRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.Description))
        {
            throw new CliUsageException("--description must not be empty.");
        }

        if (request.Inputs.Any(string.IsNullOrEmpty))
        {
            throw new CliUsageException("--input must not be empty.");
        }

        if (request.MaxNewTokens < 1)
        {
            throw new CliUsageException($"--max-new-tokens must be at least 1 (got {request.MaxNewTokens}).");
        }

        foreach (var (option, path) in new[] { ("--model", request.ModelDirectory), ("--hypernetwork", request.HypernetworkDirectory) })
        {
            if (!Directory.Exists(path))
            {
                throw new DirectoryNotFoundException($"{option} folder '{path}' does not exist; pass {option} DIR with an existing folder.");
            }
        }

        // A previous adapter in the folder is replaced (file by file, atomically); anything else there is never touched.
        if (request.SaveAdapterDirectory is { } save && Directory.Exists(save)
            && Directory.EnumerateFileSystemEntries(save).Select(Path.GetFileName).FirstOrDefault(name => !AdapterFiles.Contains(name!)) is { } other)
        {
            throw new CliUsageException($"--save-adapter folder '{save}' holds '{other}', which is not part of a PEFT adapter; choose a new or empty folder.");
        }
    }

    /// <summary>
    /// <paramref name="relative"/> under the repository root (the folder with <c>Text2Lora.sln</c>, searched upwards from
    /// the current folder, then from the tool's own folder).
    /// </summary>
    internal static string RepositoryPath(string relative, string option)
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Text2Lora.sln")))
                {
                    return Path.Combine(dir.FullName, relative);
                }
            }
        }

        // An installed tool carries the committed models next to itself (Text2Lora.Cli.csproj packs them).
        var shipped = Path.Combine(AppContext.BaseDirectory, relative);
        if (Directory.Exists(shipped))
        {
            return shipped;
        }

        throw new CliUsageException($"Cannot find the committed '{relative}' (no Text2Lora.sln above the current folder or the tool, and none shipped beside the tool); pass {option} DIR.");
    }
}
