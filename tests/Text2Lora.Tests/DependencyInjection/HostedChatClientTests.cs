using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Text2Lora.Abstractions;
using Text2Lora.Chat;
using Text2Lora.Cli.Commands;
using Text2Lora.DependencyInjection;
using Text2Lora.LoraGeneration;
using Text2Lora.Runtime;
using Text2Lora.Tests.TaskSuite;

namespace Text2Lora.Tests.DependencyInjection;

/// <summary>
/// The whole description → adapter → answer path from a Generic Host: <c>AddText2Lora(...).AddChatClient().WarmUp()</c>
/// on the committed tiny base model and hypernetwork. Expected answers come from the library's direct path
/// (<see cref="Text2LoraBuilder"/> + <see cref="BaseModelChatClient.Load"/>), not from the DI code under test.
/// </summary>
public sealed class HostedChatClientTests
{
    private static readonly string Root = Path.GetDirectoryName(Path.GetDirectoryName(CommittedSuite.Root))!;
    private static readonly string Model = Path.Combine(Root, DemoCommand.DefaultModel);
    private static readonly string Hypernetwork = Path.Combine(Root, DemoCommand.DefaultHypernetwork);

    public HostedChatClientTests() => TorchRuntime.EnsureAvailable();

    private static IHost BuildHost(Action<Text2LoraOptions> configure, Action<Text2LoraServicesBuilder>? more = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var text2Lora = builder.Services.AddText2Lora(configure);
        more?.Invoke(text2Lora);
        return builder.Build();
    }

    [Fact]
    public async Task Hosted_IChatClient_answers_each_request_with_the_adapter_generated_from_its_description()
    {
        using var host = BuildHost(o => { o.HypernetworkDirectory = Hypernetwork; o.BaseModelDirectory = Model; }, b => b.AddChatClient().WarmUp());
        await host.StartAsync();
        var chat = host.Services.GetRequiredService<IChatClient>();

        // Expected: the adapter the builder generates for the description, applied by a directly loaded chat client.
        using var generator = Text2LoraBuilder.Create().WithHypernetwork(Hypernetwork).WithBaseModel(Model).Build();
        using var adapter = generator.FromDescription(DemoCommand.DefaultDescription);
        using var direct = BaseModelChatClient.Load(Model);

        var adaptedDiffersFromBase = false;
        foreach (var input in DemoCommand.DefaultInputs)
        {
            var viaDi = await chat.GetResponseAsync(input, new ChatOptions { MaxOutputTokens = 12 }.WithTaskDescription(DemoCommand.DefaultDescription));
            var plainViaDi = await chat.GetResponseAsync(input, new ChatOptions { MaxOutputTokens = 12 });
            var expected = await direct.GetResponseAsync(input, new ChatOptions { MaxOutputTokens = 12 }.WithAdapter(adapter));
            var expectedPlain = await direct.GetResponseAsync(input, new ChatOptions { MaxOutputTokens = 12 });

            Assert.Equal(expected.Text, viaDi.Text);
            Assert.Equal(expectedPlain.Text, plainViaDi.Text);
            adaptedDiffersFromBase |= expected.Text != expectedPlain.Text;
        }

        // The demo's point: the generated adapter changes what the base model answers (else the test could not tell).
        Assert.True(adaptedDiffersFromBase);
        Assert.Same(host.Services.GetRequiredService<Abstractions.IBaseModel>(), chat.GetService<Abstractions.IBaseModel>());
        await host.StopAsync();
    }

    [Fact]
    public async Task Swapped_folders_fail_when_the_host_starts_and_name_the_option()
    {
        using var host = BuildHost(o => { o.HypernetworkDirectory = Model; o.BaseModelDirectory = Hypernetwork; }, b => b.AddChatClient());

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(error.Failures, f => f.Contains("HypernetworkDirectory", StringComparison.Ordinal) && f.Contains("looks like a base model folder", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("BaseModelDirectory", StringComparison.Ordinal) && f.Contains("looks like a hypernetwork folder", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_chat_client_without_a_base_model_folder_fails_at_start()
    {
        using var host = BuildHost(o => o.HypernetworkDirectory = Hypernetwork, b => b.AddChatClient());

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(error.Failures, f => f.Contains("BaseModelDirectory is required by AddBaseModel()/AddChatClient()", StringComparison.Ordinal));
    }

    [Fact]
    public void Keyed_registrations_hold_separate_hypernetworks()
    {
        var services = new ServiceCollection();
        services.AddKeyedText2Lora("recon", o => o.HypernetworkDirectory = Hypernetwork);
        services.AddKeyedText2Lora("sft", o => o.HypernetworkDirectory = Path.Combine(Root, "models/t2l-tiny-sft"));
        using var provider = services.BuildServiceProvider();

        var recon = provider.GetRequiredKeyedService<IHypernetwork>("recon");
        var sft = provider.GetRequiredKeyedService<IHypernetwork>("sft");
        Assert.NotSame(recon, sft);
        Assert.Null(provider.GetService<IHypernetwork>());

        using var fromRecon = provider.GetRequiredKeyedService<ILoraGenerator>("recon").FromDescription(DemoCommand.DefaultDescription);
        using var fromSft = provider.GetRequiredKeyedService<ILoraGenerator>("sft").FromDescription(DemoCommand.DefaultDescription);
        using var sftGenerator = Text2LoraBuilder.Create().WithHypernetwork(Path.Combine(Root, "models/t2l-tiny-sft")).Build();
        using var expectedSft = sftGenerator.FromDescription(DemoCommand.DefaultDescription);
        var module = fromSft.Modules.Keys.First();
        Assert.True(expectedSft.Modules[module].A.allclose(fromSft.Modules[module].A, rtol: 0, atol: 0));
        Assert.False(fromRecon.Modules[module].A.allclose(fromSft.Modules[module].A, rtol: 0, atol: 0));
    }
}
