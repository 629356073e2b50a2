using System.Net;
using OpenCvSharp;

namespace SuperRes.Server.Tests.Hardening;

/// <summary>Sizes and memory checked from the header before any work; results kept on disk and bounded in bytes.</summary>
public class BudgetTests : IAsyncLifetime
{
    private ServerInstance server = null!;

    // 60 MB of memory budget, 8 MP of output, 300 kB of kept results: small enough to reach with small images.
    public async Task InitializeAsync() => server = await ServerInstance.StartAsync(
        "Limits:MemoryBudgetBytes=60000000", "Limits:MaxOutputMegapixels=8", "Jobs:ResultsMaxBytes=300000", "Cache:MaxBytes=0", "Limits:MaxIccProfileBytes=100000");

    public async Task DisposeAsync() => await server.DisposeAsync();

    private static byte[] Png(int width, int height)
    {
        using var image = new Mat(height, width, MatType.CV_8UC3);
        Cv2.Randu(image, Scalar.All(0), Scalar.All(255));
        var png = TestImage.Encode(image, ".png");
        return png;
    }

    [Fact]
    public async Task An_output_over_the_limit_gets_422_before_any_work()
    {
        using var response = await server.Client.PostAsync("/api/v1/jobs", Http.Form(Png(1500, 1500), "big.png", ("model", "esrgan-slim"), ("scale", "2")));
        var problem = await response.Problem(422);
        Assert.Contains("3000x3000", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task An_image_over_the_memory_budget_gets_422_with_the_figures()
    {
        // 1400x1400 at x2 is 7.8 MP out (under the output limit) but needs well over 60 MB.
        using var response = await server.Client.PostAsync("/api/v1/jobs", Http.Form(Png(1400, 1400), "big.png", ("model", "esrgan-slim"), ("scale", "2")));
        var problem = await response.Problem(422);
        Assert.Contains("memory budget", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Job_results_are_streamed_from_disk_and_the_oldest_go_past_the_byte_bound()
    {
        var ids = new List<string>();
        for (int i = 0; i < 4; i++)
        {
            using var response = await server.Client.PostAsync("/api/v1/jobs", Http.Form(Png(120, 100), $"n{i}.png", ("model", "esrgan-slim"), ("scale", "2")));
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            var id = (await response.Json()).GetProperty("id").GetString()!;
            Assert.Equal("succeeded", (await Http.WaitForJobAsync(server.Client, id)).GetProperty("status").GetString());
            ids.Add(id);
        }
        // Each result is about 100 kB of noise at 240x200; 300 kB holds the newest ones only.
        using var oldest = await server.Client.GetAsync($"/api/v1/jobs/{ids[0]}/result");
        await oldest.Problem(404);
        using var newest = await server.Client.GetAsync($"/api/v1/jobs/{ids[^1]}/result");
        Assert.Equal(HttpStatusCode.OK, newest.StatusCode);
        using var decoded = TestImage.Decode(await newest.Content.ReadAsByteArrayAsync());
        Assert.Equal((240, 200), (decoded.Cols, decoded.Rows));
        var files = (Storage.BoundedFileStore)server.Services.GetService(typeof(Storage.BoundedFileStore))!;
        Assert.InRange(files.HeldBytes, 1, 300_000);
        Assert.InRange(Directory.GetFiles(files.Folder).Length, 1, 3);
    }

    [Fact]
    public async Task An_icc_bomb_is_upscaled_without_its_profile_and_the_response_says_so()
    {
        using var response = await server.Client.PostAsync("/api/v1/upscale", Http.Form(HostileImages.IccBombPng(64L << 20), "bomb.png", ("model", "esrgan-slim"), ("scale", "2")));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("colour profile", response.Headers.GetValues("X-SuperRes-Warning").Single());
    }
}
