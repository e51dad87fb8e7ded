using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Text2Lora.LoraGeneration;

namespace Text2Lora.DependencyInjection;

/// <summary>What the registrations of one <c>AddText2Lora</c>/<c>AddKeyedText2Lora</c> share: its options, logging, timing.</summary>
internal static class Text2LoraRegistration
{
    /// <summary>The options name of a registration: the default name when not keyed, else the key's text.</summary>
    public static string OptionsName(object? serviceKey) => serviceKey?.ToString() ?? Microsoft.Extensions.Options.Options.DefaultName;

    public static Text2LoraOptions Options(IServiceProvider sp, object? serviceKey) =>
        sp.GetRequiredService<IOptionsMonitor<Text2LoraOptions>>().Get(OptionsName(serviceKey));

    public static ILoggerFactory LoggerFactory(IServiceProvider sp) => sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;

    /// <summary>Runs <paramref name="load"/> and logs what was loaded and how long it took.</summary>
    public static T Timed<T>(IServiceProvider sp, string what, Func<T> load)
    {
        var clock = Stopwatch.StartNew();
        var value = load();
        LoggerFactory(sp).CreateLogger(typeof(Text2LoraServicesBuilder)).LogInformation("Loaded the {What} in {Milliseconds} ms.", what, clock.ElapsedMilliseconds);
        return value;
    }
}
