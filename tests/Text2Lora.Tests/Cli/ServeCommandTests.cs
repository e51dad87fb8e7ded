using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using Text2Lora.Cli.Commands;
using Text2Lora.Tests.Infrastructure;

namespace Text2Lora.Tests.Cli;

/// <summary><c>t2l serve</c>: starts with no model arguments from the repository and refuses bad options.</summary>
[Trait(TestCategory.Key, TestCategory.EndToEnd)]
public sealed class ServeCommandTests
{
    private static ParseResult Parse(params string[] args)
    {
        var root = new RootCommand();
        foreach (var command in CommandCatalog.All())
        {
            root.Subcommands.Add(command);
        }

        return root.Parse(args);
    }

    [Fact]
    public async Task Serve_with_the_default_models_answers_health_then_stops_on_cancel()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        using var stop = new CancellationTokenSource();
        var serving = Parse("serve", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)).InvokeAsync(cancellationToken: stop.Token);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
        HttpStatusCode? status = null;
        // Bounded wait for the models to load (a few seconds; up to 60 s on a loaded machine).
        for (var i = 0; i < 120 && status != HttpStatusCode.OK && !serving.IsCompleted; i++)
        {
            try
            {
                status = (await http.GetAsync("/health")).StatusCode;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            if (status != HttpStatusCode.OK)
            {
                await Task.Delay(500);
            }
        }

        Assert.Equal(HttpStatusCode.OK, status);
        await stop.CancelAsync();
        Assert.Equal(0, await serving);
    }

    [Theory]
    [InlineData("--port", "70000")]
    [InlineData("--adapter-cache", "0")]
    [InlineData("--model", "/nonexistent/t2l-model")]
    public async Task Bad_options_are_usage_errors(string option, string value)
    {
        Assert.Equal(CliErrors.UsageError, await Parse("serve", option, value).InvokeAsync());
    }
}
