using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using NetVips;

namespace SuperRes.Server.Tests.Hardening;

/// <summary>
/// Files made to cost the server what their header hides, each sent once to a live server, measured in the server's
/// own process: a 4xx problem, within 2 s, and less than 100 MB more peak memory than before the request. Then a job
/// that runs past the time limit is stopped, and the worker it held takes the next job.
/// </summary>
[Collection(SerialCollection.Name)]
public class CraftedFileTests : IAsyncLifetime
{
    private ServerInstance server = null!;

    public async Task InitializeAsync() => server = await ServerInstance.StartAsync("Limits:MaxUploadBytes=8000000", "Jobs:Workers=1", "Limits:MaxJobSeconds=2");

    public async Task DisposeAsync() => await server.DisposeAsync();

    /// <summary>An 8x8 JPEG whose frame header claims 16384x16384: libjpeg reads that size, so the limits see it too.</summary>
    private static byte[] LyingJpeg()
    {
        using var tiny = Image.Black(8, 8, bands: 3);
        var jpeg = tiny.JpegsaveBuffer(q: 50, optimizeCoding: true);
        int sof = jpeg.AsSpan().IndexOf((ReadOnlySpan<byte>)[0xFF, 0xC0]);
        BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(sof + 5), 16384);
        BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(sof + 7), 16384);
        return jpeg;
    }

    /// <summary>A small PNG with 100 zTXt chunks of 8 MB each once inflated: 800 MB of text in well under 1 MB.</summary>
    private static byte[] TextBombPng()
    {
        using var tiny = Image.Black(8, 8, bands: 3);
        var png = tiny.PngsaveBuffer();
        var eightMegabytes = HostileImages.Zeros(8L << 20);
        for (int i = 0; i < 100; i++)
        {
            png = HostileImages.PngWithChunk(png, "zTXt", [.. "Comment"u8, 0, 0, .. eightMegabytes]);
        }
        return png;
    }

    /// <summary>A progressive JPEG with its last scan repeated 3000 times: each scan is another pass over the picture.</summary>
    private static byte[] ManyScanJpeg()
    {
        using var photo = Image.NewFromFile(TestPaths.Set5("baby"));
        using var crop = photo.Crop(200, 200, 32, 32);
        var jpeg = crop.JpegsaveBuffer(q: 80, interlace: true);
        var span = jpeg.AsSpan();
        int last = span.LastIndexOf((ReadOnlySpan<byte>)[0xFF, 0xDA]);
        var scan = span[last..^2].ToArray(); // up to the end-of-image marker
        using var output = new MemoryStream();
        output.Write(span[..^2]);
        for (int i = 0; i < 3000; i++)
        {
            output.Write(scan);
        }
        output.Write(span[^2..]);
        return output.ToArray();
    }

    public static TheoryData<string> Crafted => ["lying jpeg", "text bomb png", "many-scan jpeg"];

    [Theory]
    [MemberData(nameof(Crafted))]
    public async Task A_crafted_file_gets_a_4xx_quickly_and_cheaply(string name)
    {
        var file = name switch
        {
            "lying jpeg" => LyingJpeg(),
            "text bomb png" => TextBombPng(),
            _ => ManyScanJpeg(),
        };
        Assert.InRange(file.Length, 1, 8_000_000);
        HttpResponseMessage? response = null;
        var clock = Stopwatch.StartNew();
        long growth = await PeakMemory.GrowthDuringAsync(async () =>
            response = await server.Client.PostAsync("/api/v1/upscale", Http.Form(file, "crafted", ("scale", "2"))));
        clock.Stop();
        using (response)
        {
            var problem = await response!.Problem(422);
            Assert.Contains(name switch
            {
                "lying jpeg" => "16384x16384",
                "text bomb png" => "metadata",
                _ => "scans",
            }, problem.GetProperty("detail").GetString());
        }
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"{name} took {clock.Elapsed.TotalSeconds:0.00} s");
        Assert.True(growth < 100L << 20, $"{name} raised the server's peak by {growth >> 20} MB");
    }

    [Fact]
    public async Task A_job_past_the_time_limit_is_stopped_and_its_worker_takes_the_next()
    {
        // 1500x1500 at x4 takes the default model tens of seconds here: far past the 2 s limit.
        using var large = Image.Gaussnoise(1500, 1500, mean: 128, sigma: 40).Cast(Enums.BandFormat.Uchar).Bandjoin(Image.Black(1500, 1500), Image.Black(1500, 1500));
        var slow = await SubmitAsync(large.PngsaveBuffer(compression: 1), "4");
        var clock = Stopwatch.StartNew();
        var ended = await Http.WaitForJobAsync(server.Client, slow);
        Assert.Equal("failed", ended.GetProperty("status").GetString());
        Assert.Equal(422, ended.GetProperty("errorStatus").GetInt32());
        Assert.Contains("limit of 2 s", ended.GetProperty("error").GetString());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"stopping took {clock.Elapsed.TotalSeconds:0.0} s");

        // The one worker is free again: a small job runs to the end.
        var small = await SubmitAsync(File.ReadAllBytes(TestPaths.Set5Lr("bird", 4)), "2");
        Assert.Equal("succeeded", (await Http.WaitForJobAsync(server.Client, small)).GetProperty("status").GetString());
    }

    private async Task<string> SubmitAsync(byte[] image, string scale)
    {
        using var response = await server.Client.PostAsync("/api/v1/jobs", Http.Form(image, "photo.png", ("scale", scale), ("restore", "0")));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Json()).GetProperty("id").GetString()!;
    }
}
