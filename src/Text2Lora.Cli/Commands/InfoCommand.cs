using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;
using Text2Lora.Abstractions;
using Text2Lora.IO.Hub;
using Text2Lora.IO.Peft;
using Text2Lora.Runtime;

namespace Text2Lora.Cli.Commands;

/// <summary>
/// <c>t2l info DIR</c>: describes a PEFT adapter folder, (given a loader) a hypernetwork checkpoint folder, or a Hugging
/// Face model folder (from its config and tokenizer files only; the weights are not read).
/// </summary>
internal static class InfoCommand
{
    /// <summary>Files that mark a hypernetwork checkpoint: the reference's <c>hypermod.pt</c>, Text2Lora's <c>hypernetwork.json</c>.</summary>
    private static readonly string[] HypernetworkMarkers = ["hypermod.pt", "hypernetwork.json"];

    public static Command Create(IHypernetworkLoader? hypernetworkLoader = null)
    {
        var directory = new Argument<string>("DIR") { Description = "A PEFT adapter folder, a hypernetwork checkpoint folder or a model folder, or a hub reference org/name[@revision][:subfolder] (only its small files are downloaded)." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object on stdout (kind, path and the facts of the text view) instead of the text view." };
        var command = new Command("info", "Describe an adapter, hypernetwork or model folder.") { directory, json };
        command.SetAction((parse, cancellationToken) => CliErrors.RunAsync(() => Task.Run(
            () =>
            {
                var path = ModelFolders.Resolve(parse.GetValue(directory)!, ModelFileKind.All, cancellationToken, ModelFolders.InfoFiles);
                if (parse.GetValue(json))
                {
                    Console.Out.WriteLine(DescribeAsJson(path, hypernetworkLoader).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
                }
                else
                {
                    Describe(path, hypernetworkLoader);
                }
            },
            cancellationToken)));
        return command;
    }

    /// <summary>The <c>--json</c> view: <c>kind</c> (adapter, hypernetwork, model), <c>path</c> and the kind's facts.</summary>
    internal static JsonObject DescribeAsJson(string path, IHypernetworkLoader? hypernetworkLoader)
    {
        if (!Directory.Exists(path))
        {
            throw new DirectoryNotFoundException($"The folder '{path}' does not exist.");
        }

        if (hypernetworkLoader is not null && HypernetworkMarkers.Any(marker => File.Exists(Path.Combine(path, marker))))
        {
            TorchRuntime.EnsureAvailable();
            using var hypernetwork = hypernetworkLoader.Load(path, baseModelDirectory: null, TorchSharp.torch.CPU);
            var config = hypernetwork.AdapterConfig;
            return new JsonObject
            {
                ["kind"] = "hypernetwork",
                ["path"] = path,
                ["base_model"] = config.BaseModelNameOrPath,
                ["task_embedding_size"] = hypernetwork.TaskEmbeddingSize,
                ["rank"] = config.R,
                ["alpha"] = config.LoraAlpha,
                ["use_rslora"] = config.UseRslora,
                ["layers"] = hypernetwork.Targets.LayerCount,
                ["target_modules"] = new JsonArray([.. hypernetwork.Targets.Modules
                    .Where(m => config.TargetModules?.Matches(m.PathForLayer(0)) ?? true)
                    .Select(m => (JsonNode)new JsonObject { ["name"] = m.Name, ["in"] = m.InFeatures, ["out"] = m.OutFeatures })]),
            };
        }

        if (File.Exists(Path.Combine(path, PeftAdapterFolder.ConfigFileName)))
        {
            TorchRuntime.EnsureAvailable();
            using var adapter = PeftAdapterFolder.Load(path);
            var config = adapter.Config;
            return new JsonObject
            {
                ["kind"] = "adapter",
                ["path"] = path,
                ["base_model"] = config.BaseModelNameOrPath,
                ["rank"] = config.R,
                ["alpha"] = config.LoraAlpha,
                ["use_rslora"] = config.UseRslora,
                ["task_description"] = adapter.TaskDescription,
                ["modules"] = new JsonArray([.. adapter.Modules.Select(m => (JsonNode)new JsonObject
                {
                    ["name"] = m.Key,
                    ["a_shape"] = new JsonArray([.. m.Value.A.shape.Select(d => (JsonNode)d)]),
                    ["b_shape"] = new JsonArray([.. m.Value.B.shape.Select(d => (JsonNode)d)]),
                    ["scaling"] = m.Value.Scaling,
                })]),
            };
        }

        if (File.Exists(Path.Combine(path, ModelInfo.ConfigFileName)))
        {
            return new JsonObject
            {
                ["kind"] = "model",
                ["path"] = path,
                ["config"] = JsonNode.Parse(File.ReadAllText(Path.Combine(path, ModelInfo.ConfigFileName))),
            };
        }

        throw new CliUsageException($"'{path}' is not a folder Text2Lora recognises (expected {PeftAdapterFolder.ConfigFileName}, a hypernetwork checkpoint or {ModelInfo.ConfigFileName}).");
    }

    private static void Describe(string path, IHypernetworkLoader? hypernetworkLoader)
    {
        if (!Directory.Exists(path))
        {
            throw new DirectoryNotFoundException($"The folder '{path}' does not exist.");
        }

        if (hypernetworkLoader is not null && HypernetworkMarkers.Any(marker => File.Exists(Path.Combine(path, marker))))
        {
            DescribeHypernetwork(path, hypernetworkLoader);
            return;
        }

        if (File.Exists(Path.Combine(path, PeftAdapterFolder.ConfigFileName)))
        {
            TorchRuntime.EnsureAvailable();
            using var adapter = PeftAdapterFolder.Load(path);
            var config = adapter.Config;
            AnsiConsole.MarkupLine($"[bold]PEFT LoRA adapter[/] {Markup.Escape(path)}");
            AnsiConsole.MarkupLine($"  base model:      {Markup.Escape(config.BaseModelNameOrPath ?? "(not set)")}");
            AnsiConsole.MarkupLine($"  rank / alpha:    {config.R} / {config.LoraAlpha}{(config.UseRslora ? " (rsLoRA)" : "")}");
            AnsiConsole.MarkupLine($"  target modules:  {Markup.Escape(config.TargetModules?.ToString() ?? "(none)")}");
            AnsiConsole.MarkupLine($"  adapted modules: {adapter.Modules.Count}");
            var table = new Table().AddColumns("module", "A", "B", "scaling", "|B·A|_F");
            foreach (var (module, weights) in adapter.Modules)
            {
                using var delta = weights.DeltaWeight();
                table.AddRow(
                    Markup.Escape(module),
                    Markup.Escape($"[{string.Join(", ", weights.A.shape)}]"),
                    Markup.Escape($"[{string.Join(", ", weights.B.shape)}]"),
                    weights.Scaling.ToString("G4", System.Globalization.CultureInfo.InvariantCulture),
                    delta.norm().item<float>().ToString("G4", System.Globalization.CultureInfo.InvariantCulture));
            }

            AnsiConsole.Write(table);
            if (adapter.TaskDescription is { } description)
            {
                AnsiConsole.MarkupLine($"  task description: {Markup.Escape(description)}");
            }

            return;
        }

        if (File.Exists(Path.Combine(path, ModelInfo.ConfigFileName)))
        {
            ModelInfo.Describe(path);
            return;
        }

        throw new CliUsageException($"'{path}' is not a folder Text2Lora recognises (expected {PeftAdapterFolder.ConfigFileName}, a hypernetwork checkpoint or {ModelInfo.ConfigFileName}).");
    }

    private static void DescribeHypernetwork(string path, IHypernetworkLoader loader)
    {
        TorchRuntime.EnsureAvailable();
        using var hypernetwork = loader.Load(path, baseModelDirectory: null, TorchSharp.torch.CPU);
        var config = hypernetwork.AdapterConfig;
        AnsiConsole.MarkupLine($"[bold]T2L hypernetwork[/] {Markup.Escape(path)}");
        AnsiConsole.MarkupLine($"  base model:          {Markup.Escape(config.BaseModelNameOrPath ?? "(not set)")}");
        AnsiConsole.MarkupLine($"  task embedding size: {hypernetwork.TaskEmbeddingSize}");
        AnsiConsole.MarkupLine($"  rank / alpha:        {config.R} / {config.LoraAlpha}{(config.UseRslora ? " (rsLoRA)" : "")}");
        AnsiConsole.MarkupLine($"  layers:              {hypernetwork.Targets.LayerCount}");
        var table = new Table().AddColumns("target module", "in", "out");
        foreach (var module in hypernetwork.Targets.Modules.Where(m => config.TargetModules?.Matches(m.PathForLayer(0)) ?? true))
        {
            table.AddRow(Markup.Escape(module.Name), module.InFeatures.ToString(System.Globalization.CultureInfo.InvariantCulture), module.OutFeatures.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        AnsiConsole.Write(table);
    }
}
