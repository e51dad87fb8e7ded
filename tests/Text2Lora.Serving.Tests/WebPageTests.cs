using System.IO.Compression;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

namespace Text2Lora.Serving.Tests;

/// <summary>A test that needs Debian's Chromium; skipped, with the reason, only where it is not installed.</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public const string ChromiumPath = "/usr/bin/chromium";

    public ChromiumFactAttribute()
    {
        if (!File.Exists(ChromiumPath))
        {
            Skip = $"Chromium is not installed at {ChromiumPath}; eng/install-browser-prereqs.sh (run by eng/test.sh as root) installs it.";
        }
    }
}

/// <summary>The web page in a real browser (Chromium driven by Playwright) against the server on Kestrel at 127.0.0.1.</summary>
public sealed class WebPageTests
{
    [ChromiumFact]
    public async Task Generate_an_adapter_chat_with_streaming_and_download_the_zip()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddText2LoraServing(o =>
        {
            o.ModelDirectory = ServingHost.ModelDirectory;
            o.HypernetworkDirectory = ServingHost.HypernetworkDirectory;
        });
        await using var app = builder.Build();
        app.MapText2Lora();
        await app.StartAsync();
        var address = app.Urls.First();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ChromiumFactAttribute.ChromiumPath, Headless = true });
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { AcceptDownloads = true, ViewportSize = new ViewportSize { Width = 390, Height = 844 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(address);

        // Generate an adapter from a description (labels are the accessible names).
        await page.GetByLabel("Task description").FillAsync("Give the first letter of the word.");
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Generate adapter" }).ClickAsync();
        await Assertions.Expect(page.Locator("#adapter-status")).ToContainTextAsync("generated in", new LocatorAssertionsToContainTextOptions { Timeout = 60_000 });
        var status = await page.Locator("#adapter-status").TextContentAsync();
        var id = System.Text.RegularExpressions.Regex.Match(status!, "t2l-[0-9a-f]+").Value;
        await Assertions.Expect(page.Locator("#adapters li")).ToHaveCountAsync(1);

        // Send a message with the keyboard (Enter) and wait for the streamed answer to finish ([DONE]).
        await page.GetByLabel("Message (Enter sends, Shift+Enter for a new line)").FillAsync("donkey");
        await page.GetByLabel("Message (Enter sends, Shift+Enter for a new line)").PressAsync("Enter");
        var answer = page.Locator(".answer-text[data-done=true]");
        await Assertions.Expect(answer).ToHaveCountAsync(1, new LocatorAssertionsToHaveCountOptions { Timeout = 60_000 });
        var shown = await answer.TextContentAsync();

        // The page shows what the API answers for the same adapter and message.
        using var http = new HttpClient { BaseAddress = new Uri(address) };
        using var response = await http.PostAsJsonAsync("/v1/chat/completions", new { model = id, messages = new[] { new { role = "user", content = "donkey" } }, max_tokens = 32 });
        var expected = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString();
        Assert.False(string.IsNullOrEmpty(shown));
        Assert.Equal(expected, shown);

        // Download the adapter as a zip.
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByText("Download adapter (PEFT zip)").ClickAsync());
        var path = Path.Combine(Path.GetTempPath(), $"t2l-page-{Guid.NewGuid():N}.zip");
        try
        {
            await download.SaveAsAsync(path);
            using var zip = ZipFile.OpenRead(path);
            Assert.Equal(["adapter_config.json", "adapter_model.safetensors", "task_desc.txt"], zip.Entries.Select(e => e.FullName).Order());
        }
        finally
        {
            File.Delete(path);
        }

        await app.StopAsync();
    }
}
