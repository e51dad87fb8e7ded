using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenAI;
using Text2Lora.Serving.Scheduling;

namespace Text2Lora.Serving.Tests;

/// <summary>
/// The server on ASP.NET Core's test server (WebApplicationFactory) over the committed tiny models, with options a
/// test may change. The host is built here (the serving library has no entry point of its own).
/// </summary>
public sealed class ServingHost : WebApplicationFactory<ServingHost>
{
    private readonly Action<ServingOptions>? _configure;

    public ServingHost() : this(null)
    {
    }

    internal ServingHost(Action<ServingOptions>? configure)
    {
        _configure = configure;
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_TEXT2LORA_SERVING_TESTS", AppContext.BaseDirectory);
    }

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string ModelDirectory => Path.Combine(RepositoryRoot, "models", "t2l-tiny-base");

    public static string HypernetworkDirectory => Path.Combine(RepositoryRoot, "models", "t2l-tiny-recon");

    internal ServingEngine Engine => Services.GetRequiredService<ServingEngine>();

    protected override IHostBuilder CreateHostBuilder() =>
        Host.CreateDefaultBuilder().ConfigureWebHostDefaults(web => web
            .UseContentRoot(AppContext.BaseDirectory)
            .ConfigureServices(services => services.AddRouting().AddText2LoraServing(o =>
            {
                o.ModelDirectory = ModelDirectory;
                o.HypernetworkDirectory = HypernetworkDirectory;
                _configure?.Invoke(o);
            }))
            .Configure(app =>
            {
                app.UseRouting();
                app.UseEndpoints(endpoints => endpoints.MapText2Lora());
            }));

    /// <summary>An <see cref="IChatClient"/> of the official OpenAI SDK talking to this server.</summary>
    public IChatClient ChatClient(string model, string apiKey = "unused") =>
        new OpenAIClient(new ApiKeyCredential(apiKey), new OpenAIClientOptions
        {
            Endpoint = new Uri(Server.BaseAddress, "/v1"),
            Transport = new HttpClientPipelineTransport(CreateClient()),
            RetryPolicy = new ClientRetryPolicy(0),
        }).GetChatClient(model).AsIChatClient();

    /// <summary>Blocks the scheduler thread until the returned source is disposed (for deterministic queueing tests).</summary>
    internal async Task<IDisposable> PauseSchedulerAsync()
    {
        await Engine.Ready;
        var gate = new ManualResetEventSlim();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = Engine.RunAsync(() => { entered.SetResult(); gate.Wait(); return 0; }, CancellationToken.None);
        await entered.Task;
        return new Release(gate);
    }

    private sealed class Release(ManualResetEventSlim gate) : IDisposable
    {
        public void Dispose() => gate.Set();
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Text2Lora.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The tests run inside the repository (no Text2Lora.sln above the test folder).");
    }
}
