// A Generic Host app: AddText2Lora(...).AddChatClient().WarmUp() registers the hypernetwork, its description encoder,
// the base model and an IChatClient; each request carries its own task description and is answered with a LoRA
// adapter generated for it. WarmUp() loads everything (and runs once) while the host starts, so the first request is
// as fast as the others; a wrong folder fails at start.
//
//   dotnet run --project samples/HostedChat -- [<base-model-dir> <hypernetwork-dir>]
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Text2Lora.Chat;
using Text2Lora.DependencyInjection;
using Text2Lora.Samples;

var root = SamplePaths.RepositoryRoot();
var baseModel = args.Length > 0 ? args[0] : Path.Combine(root, "models/t2l-tiny-base");
var hypernetwork = args.Length > 1 ? args[1] : Path.Combine(root, "models/t2l-tiny-recon");

var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddText2Lora(o =>
    {
        o.BaseModelDirectory = baseModel;
        o.HypernetworkDirectory = hypernetwork;
    })
    .AddChatClient()
    .WarmUp();

using var host = builder.Build();
await host.StartAsync();

var chat = host.Services.GetRequiredService<IChatClient>();
foreach (var (description, input) in new[]
{
    ("Give the first letter of the word.", "donkey"),
    ("Reverse the word.", "kitten"),
    ("Add one to the number.", "41"),
})
{
    var options = new ChatOptions { MaxOutputTokens = 12 }.WithTaskDescription(description);
    var answer = await chat.GetResponseAsync(input, options);
    var plain = await chat.GetResponseAsync(input, new ChatOptions { MaxOutputTokens = 12 });
    Console.WriteLine($"{description,-36} {input,-8} adapter: {answer.Text.Trim(),-12} base model: {plain.Text.Trim()}");
}

await host.StopAsync();
