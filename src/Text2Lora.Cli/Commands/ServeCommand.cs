using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Text2Lora.Runtime;
using Text2Lora.Serving;

namespace Text2Lora.Cli.Commands;

/// <summary>
/// <c>t2l serve [--model DIR] [--hypernetwork DIR] [--host 127.0.0.1] [--port 8080] [--api-key KEY] [--adapter-cache N] [--max-queue N]</c>:
/// the OpenAI-compatible server with per-request generated adapters and the web page (<see cref="Text2LoraEndpoints"/>).
/// Defaults to the committed tiny models. Model locations are plain folders here; hub ids and device/dtype choices
/// resolve into <see cref="ServingOptions"/> before the host is built.
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var model = new Option<DirectoryInfo?>("--model") { Description = $"Base model folder (default: {DemoCommand.DefaultModel} of this repository)." };
        var hypernetwork = new Option<DirectoryInfo?>("--hypernetwork") { Description = $"Hypernetwork folder (default: {DemoCommand.DefaultHypernetwork})." };
        var host = new Option<string>("--host") { Description = "Address to bind (default: localhost only).", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "Port to listen on.", DefaultValueFactory = _ => 8080 };
        var apiKey = new Option<string?>("--api-key") { Description = "Require 'Authorization: Bearer KEY' on /v1 requests (default: T2L_API_KEY, else no key)." };
        var cache = new Option<int>("--adapter-cache") { Description = "Generated adapters kept in memory (LRU).", DefaultValueFactory = _ => 32 };
        var queue = new Option<int>("--max-queue") { Description = "Requests waiting at most; more get 429.", DefaultValueFactory = _ => 64 };
        var command = new Command("serve", "Serve an OpenAI-compatible API and a web page where each request may carry a task description and gets an adapter generated for it.")
        {
            model, hypernetwork, host, port, apiKey, cache, queue,
        };
        var compute = ComputeOptions.AddTo(command);
        command.SetAction((parse, cancellationToken) => CliErrors.RunAsync(async () =>
        {
            var settings = compute.Read(parse);
            var portValue = parse.GetValue(port);
            if (portValue is < 0 or > 65535)
            {
                throw new CliUsageException($"--port must be between 0 and 65535 (got {portValue}).");
            }

            var options = new ServingOptions
            {
                ModelDirectory = parse.GetValue(model)?.FullName ?? DemoCommand.RepositoryPath(DemoCommand.DefaultModel, "--model"),
                HypernetworkDirectory = parse.GetValue(hypernetwork)?.FullName ?? DemoCommand.RepositoryPath(DemoCommand.DefaultHypernetwork, "--hypernetwork"),
                ApiKey = parse.GetValue(apiKey) ?? (Environment.GetEnvironmentVariable("T2L_API_KEY") is { Length: > 0 } key ? key : null),
                AdapterCacheSize = parse.GetValue(cache),
                MaxQueueLength = parse.GetValue(queue),
                Device = settings.DeviceName,
                DType = settings.DTypeName,
            };
            options.Validate();
            settings.EnsureAvailable();
            await RunAsync(options, parse.GetValue(host)!, portValue, cancellationToken).ConfigureAwait(false);
        }));
        return command;
    }

    private static async Task RunAsync(ServingOptions options, string host, int port, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders().AddFilter("Microsoft.AspNetCore", LogLevel.Warning).AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        builder.WebHost.UseUrls($"http://{(host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host)}:{port}");
        builder.Services.AddText2LoraServing(o =>
        {
            o.ModelDirectory = options.ModelDirectory;
            o.HypernetworkDirectory = options.HypernetworkDirectory;
            o.ApiKey = options.ApiKey;
            o.AdapterCacheSize = options.AdapterCacheSize;
            o.MaxQueueLength = options.MaxQueueLength;
            o.Device = options.Device;
            o.DType = options.DType;
        });
        await using var app = builder.Build();
        app.MapText2Lora();
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        app.Logger.LogInformation("t2l serve: open http://{Host}:{Port}/ (Ctrl+C stops)", host, port);
        await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
    }
}
