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
    public async Task A_jpeg_is_restored_by_auto_and_both_sides_zoom_and_move_together()
    {
        var (playwright, context, profile) = await LaunchAsync();
        var jpeg = Path.Combine(Path.GetTempPath(), $"butterfly-{Guid.NewGuid():N}.jpg");
        using (var lr = TestImage.ReadColour(TestPaths.Set5Lr("butterfly", 3))) // 85x85
        {
            await File.WriteAllBytesAsync(jpeg, SuperRes.Quality.Degradation.Jpeg(lr, 35));
        }
        try
        {
            var page = await context.NewPageAsync();
            await page.GotoAsync(fixture.Server.Address.ToString());
            await page.Locator("#model option[value='esrgan-slim']").WaitForAsync(new() { State = WaitForSelectorState.Attached });
            // Auto comes first and is chosen; models without a restoring pair do not offer the control.
            Assert.True(await page.Locator("#restore-field").IsVisibleAsync());
            Assert.Equal("auto", await page.Locator("#restore option").First.GetAttributeAsync("value"));
            Assert.Equal("auto", await page.InputValueAsync("#restore"));
            await page.SelectOptionAsync("#model", "esrgan-slim");
            Assert.False(await page.Locator("#restore-field").IsVisibleAsync());
            await page.SelectOptionAsync("#model", "superres-edsr");

            await page.SetInputFilesAsync("#files", jpeg);
            var job = page.Locator(".job").First;
            await job.Locator(".result").WaitForAsync(new() { State = WaitForSelectorState.Visible, Timeout = 120_000 });
            Assert.Equal("255 x 255", await job.Locator(".dims").TextContentAsync());
            var how = await job.Locator(".how").TextContentAsync();
            Assert.Matches(@"^superres-edsr 3x · restore \d\.\d \(auto: JPEG quality 35\) · \d+\.\d\d s$", how);

            // 200 %: two screen pixels per result pixel, the original enlarged under exactly the same transform.
            await job.Locator(".zoom button[data-zoom='2']").ClickAsync();
            Assert.Equal("200 %", await job.Locator(".zoom-level").TextContentAsync());
            Assert.Equal(510, (await job.Locator(".after").BoundingBoxAsync())!.Width, 1);
            async Task<(string After, string Before)> Transforms() =>
                (await job.Locator(".after").EvaluateAsync<string>("e => e.style.transform"),
                 await job.Locator(".before").EvaluateAsync<string>("e => e.style.transform"));
            var zoomed = await Transforms();
            Assert.Equal(zoomed.After, zoomed.Before);

            // At 400 % the picture is wider than the frame: dragging moves both sides, the wheel zooms both.
            await job.Locator(".zoom button[data-zoom='4']").ClickAsync();
            zoomed = await Transforms();
            var frame = (await job.Locator(".viewer").BoundingBoxAsync())!;
            await page.Mouse.MoveAsync(frame.X + frame.Width / 2, frame.Y + frame.Height / 2);
            await page.Mouse.DownAsync();
            await page.Mouse.MoveAsync(frame.X + frame.Width / 2 + 60, frame.Y + frame.Height / 2 + 40, new() { Steps = 4 });
            await page.Mouse.UpAsync();
            var moved = await Transforms();
            Assert.NotEqual(zoomed.After, moved.After);
            Assert.Equal(moved.After, moved.Before);
            await page.Mouse.WheelAsync(0, -300);
            var wheeled = await Transforms();
            Assert.NotEqual(moved.After, wheeled.After);
            Assert.Equal(wheeled.After, wheeled.Before);

            var shots = Path.Combine(AppContext.BaseDirectory, "screenshots");
            Directory.CreateDirectory(shots);
            await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "web-page-restore-zoomed.png"), FullPage = true });
            // Fit: the whole result in the frame again.
            await job.Locator(".zoom button[data-zoom='fit']").ClickAsync();
            Assert.Equal(frame.Width, (await job.Locator(".after").BoundingBoxAsync())!.Width, 1);
        }
        finally
        {
            await context.CloseAsync();
            playwright.Dispose();
            Directory.Delete(profile, recursive: true);
            File.Delete(jpeg);
        }
    }

    [Fact]
    public async Task A_heic_and_an_avif_photo_upscale_from_the_page()
    {
        var (playwright, context, profile) = await LaunchAsync();
        var folder = Path.Combine(Path.GetTempPath(), $"phone-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var heic = Path.Combine(folder, "IMG_0001.HEIC");
        var avif = Path.Combine(folder, "bird.avif");
        await File.WriteAllBytesAsync(heic, PhonePhotos.Heic());
        await File.WriteAllBytesAsync(avif, PhonePhotos.Avif());
        try
        {
            var page = await context.NewPageAsync();
            await page.GotoAsync(fixture.Server.Address.ToString());
            await page.Locator("#model option[value='esrgan-slim']").WaitForAsync(new() { State = WaitForSelectorState.Attached });
            Assert.Contains("image/heic", await page.Locator("#files").GetAttributeAsync("accept"));
            await page.SelectOptionAsync("#model", "esrgan-slim");
            await page.SelectOptionAsync("#scale", "2");
            await page.SetInputFilesAsync("#files", new[] { heic, avif });
            foreach (var name in new[] { "IMG_0001.HEIC", "bird.avif" })
            {
                var job = page.Locator(".job", new() { HasText = name });
                await job.Locator(".result").WaitForAsync(new() { State = WaitForSelectorState.Visible, Timeout = 120_000 });
                Assert.Equal("192 x 192", await job.Locator(".dims").TextContentAsync());
            }
            // Chromium cannot show a HEIC itself: the result stands alone and the card says why.
            Assert.Contains("this browser cannot show the original", await page.Locator(".job", new() { HasText = "IMG_0001.HEIC" }).Locator(".how").TextContentAsync());
            Assert.EndsWith("_upscaled.jpg", await page.Locator(".job", new() { HasText = "IMG_0001.HEIC" }).Locator(".download").GetAttributeAsync("download"));
        }
        finally
        {
            await context.CloseAsync();
            playwright.Dispose();
            Directory.Delete(profile, recursive: true);
            Directory.Delete(folder, recursive: true);
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
            Assert.Equal("The file is not a PNG, JPEG, WebP, TIFF, BMP, HEIC, AVIF or GIF image.", await error.TextContentAsync());
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
        await using var keyed = await ServerInstance.StartAsync("Security:ApiKeys:0=page-key");
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
