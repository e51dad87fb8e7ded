using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Text2Lora.Serving;

/// <summary>The web page: plain HTML, JS and CSS embedded in this assembly (no build toolchain), served at <c>/</c>.</summary>
internal static class StaticPage
{
    private static readonly Dictionary<string, string> Files = new(StringComparer.Ordinal)
    {
        ["index.html"] = "text/html; charset=utf-8",
        ["app.js"] = "text/javascript; charset=utf-8",
        ["app.css"] = "text/css; charset=utf-8",
    };

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/", () => Serve("index.html"));
        endpoints.MapGet("/static/{name}", (string name) => Files.ContainsKey(name) ? Serve(name) : Results.NotFound());
    }

    private static IResult Serve(string name)
    {
        // Only the fixed names above are looked up: nothing from the request reaches a path.
        var stream = typeof(StaticPage).Assembly.GetManifestResourceStream("wwwroot/" + name)
            ?? throw new InvalidOperationException($"The embedded page file '{name}' is missing from the assembly.");
        return Results.Stream(stream, Files[name]);
    }
}
