// Generates a LoRA adapter from a task description and saves it as a PEFT folder, the way an application
// would: configuration → services.AddText2Lora(...) → ILoraGenerator → PeftAdapterFolder.Save.
//
//   dotnet run --project samples/GenerateAdapter -- <hypernetwork-dir> "<task description>" <output-dir>
using Text2Lora.LoraGeneration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Logging;
using Text2Lora.Abstractions;
using Text2Lora.DependencyInjection;
using Text2Lora.IO.Peft;

if (args.Length != 3)
{
    Console.Error.WriteLine("usage: GenerateAdapter <hypernetwork-dir> \"<task description>\" <output-dir>");
    return 2;
}

var configuration = new ConfigurationBuilder()
    .AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Text2Lora:HypernetworkDirectory"] = args[0],
        ["Text2Lora:EmbeddingCacheSize"] = "128",
    })
    .Build();

var services = new ServiceCollection()
    .AddLogging(logging => logging.AddSimpleConsole(o => o.SingleLine = true))
    .AddText2Lora(configuration.GetSection(Text2LoraOptions.SectionName))
    .Services;

await using var provider = services.BuildServiceProvider();
await provider.GetRequiredService<IAsyncStartupValidator>().ValidateAsync(); // what a host does at start: bad options fail here

var generator = provider.GetRequiredService<ILoraGenerator>();
using var adapter = await generator.FromDescriptionAsync(args[1]);
PeftAdapterFolder.Save(adapter, args[2]);

Console.WriteLine($"Wrote a rank-{adapter.Config.R} adapter for {adapter.Modules.Count} modules to {args[2]}.");
return 0;
