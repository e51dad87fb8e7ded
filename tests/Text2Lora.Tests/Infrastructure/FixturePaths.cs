namespace Text2Lora.Tests.Infrastructure;

/// <summary>Locates the golden fixtures copied next to the test assembly.</summary>
internal static class FixturePaths
{
    public static string Root { get; } = Path.Combine(AppContext.BaseDirectory, "Fixtures");

    public static string Get(params string[] parts) => Path.Combine([Root, .. parts]);
}
