using Microsoft.Playwright;

namespace SuperRes.Server.Tests;

/// <summary>The web page in a real browser: Debian's Chromium, driven by Playwright, against the real server.</summary>
public class WebPageTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const string Chromium = "/usr/bin/chromium";

    private static async Task<(IPlaywright, IBrowserContext, string)> LaunchAsync()
    {
        Assert.True(File.Exists(Chromium), "Debian's chromium is not installed: scripts/test installs it.");
        var playwright = await Playwright.CreateAsync();
        var profile = Path.Combine(Path.GetTempPath(), "superres-chromium-" + Guid.NewGuid().ToString("N"));
        var context = await playwright.Chromium.LaunchPersistentContextAsync(profile, new BrowserTypeLaunchPersistentContextOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            ViewportSize = new ViewportSize { Width = 1100, Height = 1400 },
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        return (playwright, context, profile);
    }

    [Fact]
    public async Task Upload_shows_progress_then_the_result_with_a_before_after_slider()
    {
        var (playwright, context, profile) = await LaunchAsync();
        try
        {
            var page = await context.NewPageAsync();
            await page.GotoAsync(fixture.Server.Address.ToString());
            await page.Locator("#model option[value='esrgan-slim']").WaitForAsync(new() { State = WaitForSelectorState.Attached });
            // The default is preselected, and each catalog model shows its measured quality and cost.
            Assert.Equal("superres-edsr", await page.InputValueAsync("#model"));
            Assert.Contains("30.98 dB, 0.23 M MAC/px", await page.Locator("#model option[value='esrgan-slim']").TextContentAsync());
            await page.SelectOptionAsync("#model", "esrgan-slim");
            await page.SelectOptionAsync("#scale", "2");
            await page.SetInputFilesAsync("#files", TestPaths.Set5("bird")); // 288x288

            var job = page.Locator(".job").First;
            await job.Locator(".result").WaitForAsync(new() { State = WaitForSelectorState.Visible, Timeout = 120_000 });
            Assert.Equal("576", await job.GetAttributeAsync("data-width"));
            Assert.Equal("576", await job.GetAttributeAsync("data-height"));
            Assert.Equal("576 x 576", await job.Locator(".dims").TextContentAsync());
            Assert.True(await job.Locator(".slider").IsVisibleAsync());
            Assert.True(await job.Locator(".before-clip").IsVisibleAsync());

            var shots = Path.Combine(AppContext.BaseDirectory, "screenshots");
            Directory.CreateDirectory(shots);
            await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "web-page-result.png"), FullPage = true });
            await job.Locator(".slider").FillAsync("20");
            Assert.Contains("width: 20%", await job.Locator(".before-clip").GetAttributeAsync("style"));
            Assert.EndsWith("_upscaled.png", await job.Locator(".download").GetAttributeAsync("download"));
            await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "web-page-slider-at-20.png"), FullPage = true });
        }
        finally
        {
            await context.CloseAsync();
            playwright.Dispose();
            Directory.Delete(profile, recursive: true);
        }
    }

    [Fact]
    public async Task A_file_that_is_not_an_image_is_explained_in_plain_words()
    {
        var (playwright, context, profile) = await LaunchAsync();
        var notImage = Path.Combine(Path.GetTempPath(), $"notes-{Guid.NewGuid():N}.png");
        await File.WriteAllTextAsync(notImage, "these are my notes, not a picture");
        try
        {
            var page = await context.NewPageAsync();
            await page.GotoAsync(fixture.Server.Address.ToString());
            await page.Locator("#model option").First.WaitForAsync(new() { State = WaitForSelectorState.Attached });
            await page.SetInputFilesAsync("#files", notImage);
            var error = page.Locator(".job .error").First;
            await error.WaitForAsync(new() { State = WaitForSelectorState.Visible, Timeout = 30_000 });
            Assert.Equal("The file is not a PNG, JPEG, WebP, TIFF or BMP image.", await error.TextContentAsync());
        }
        finally
        {
            await context.CloseAsync();
            playwright.Dispose();
            Directory.Delete(profile, recursive: true);
            File.Delete(notImage);
        }
    }

    [Fact]
    public async Task On_a_server_with_api_keys_the_page_asks_for_one_and_then_works()
    {
        await using var keyed = await ServerInstance.StartAsync("ApiKeys:0=page-key");
        var (playwright, context, profile) = await LaunchAsync();
        try
        {
            var page = await context.NewPageAsync();
            await page.GotoAsync(keyed.Address.ToString());
            await page.Locator("#key-field").WaitForAsync(new() { State = WaitForSelectorState.Visible });
            Assert.Equal("This server needs an API key.", await page.Locator("#notice").TextContentAsync());

            await page.FillAsync("#api-key", "page-key");
            await page.DispatchEventAsync("#api-key", "change");
            await page.Locator("#model option[value='esrgan-slim']").WaitForAsync(new() { State = WaitForSelectorState.Attached });
            await page.SelectOptionAsync("#model", "esrgan-slim");
            await page.SelectOptionAsync("#scale", "2");
            await page.SetInputFilesAsync("#files", TestPaths.Set5Lr("bird", 4)); // 72x72

            var job = page.Locator(".job").First;
            await job.Locator(".result").WaitForAsync(new() { State = WaitForSelectorState.Visible, Timeout = 120_000 });
            Assert.Equal("144 x 144", await job.Locator(".dims").TextContentAsync());
        }
        finally
        {
            await context.CloseAsync();
            playwright.Dispose();
            Directory.Delete(profile, recursive: true);
        }
    }
}
