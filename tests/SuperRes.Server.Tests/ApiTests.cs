using System.Net;
using OpenCvSharp;

namespace SuperRes.Server.Tests;

/// <summary>Every endpoint over real HTTP on loopback.</summary>
public class ApiTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private HttpClient Client => fixture.Server.Client;

    private static byte[] Bird => File.ReadAllBytes(TestPaths.Set5Lr("bird", 4)); // 72x72

    [Fact]
    public async Task Health_and_readiness_answer()
    {
        Assert.Equal("ok", (await (await Client.GetAsync("/healthz")).Json()).GetProperty("status").GetString());
        Assert.Equal("ready", (await (await Client.GetAsync("/readyz")).Json()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Models_lists_the_catalog_and_what_is_loaded()
    {
        var models = await (await Client.GetAsync("/api/v1/models")).Json();
        var slim = models.EnumerateArray().Single(m => m.GetProperty("name").GetString() == "esrgan-slim");
        Assert.Contains(2, slim.GetProperty("loadedScales").EnumerateArray().Select(s => s.GetInt32()));
        var ours = models.EnumerateArray().Single(m => m.GetProperty("name").GetString() == "superres-edsr");
        Assert.True(ours.GetProperty("isDefault").GetBoolean());
        // Quality and cost come with each catalog model, so a client can choose between them.
        Assert.True(ours.GetProperty("set5PsnrX3").GetDouble() > slim.GetProperty("set5PsnrX3").GetDouble());
        Assert.True(ours.GetProperty("macsPerPixelX3").GetDouble() < 1e6);
        // Each loaded scale says what it runs on; the response says which CPU (speed depends on both).
        var loaded = slim.GetProperty("loaded").EnumerateArray().Single(l => l.GetProperty("scale").GetInt32() == 2);
        Assert.Contains(loaded.GetProperty("engine").GetString(), new[] { "OnnxRuntime", "OpenCvDnn" });
        Assert.Equal("fp32", loaded.GetProperty("precision").GetString());
        Assert.True(loaded.GetProperty("initializations").GetInt64() >= 1, "the preloader warmed it");
        using var response = await Client.GetAsync("/api/v1/models");
        Assert.Contains("AVX", response.Headers.GetValues("X-SuperRes-Cpu").Single());
    }

    [Fact]
    public async Task A_submit_retried_with_its_idempotency_key_gets_the_same_job()
    {
        async Task<HttpResponseMessage> Submit(byte[] image, string key, string scale = "2")
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/jobs") { Content = Http.Form(image, "i.png", ("model", "esrgan-slim"), ("scale", scale)) };
            request.Headers.Add("Idempotency-Key", key);
            return await Client.SendAsync(request);
        }
        var key = Guid.NewGuid().ToString();
        using var first = await Submit(Bird, key);
        using var again = await Submit(Bird, key);
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        var id = (await first.Json()).GetProperty("id").GetString();
        Assert.Equal(id, (await again.Json()).GetProperty("id").GetString());
        Assert.Equal("true", again.Headers.GetValues("Idempotent-Replayed").Single());

        using var otherBody = await Submit(Bird, key, scale: "3");
        Assert.Contains("different", (await otherBody.Problem(422)).GetProperty("detail").GetString());
        using var otherKey = await Submit(Bird, Guid.NewGuid().ToString());
        Assert.NotEqual(id, (await otherKey.Json()).GetProperty("id").GetString());
    }

    [Fact]
    public async Task Ensemble_is_a_field_of_its_own_in_the_cache_and_checked()
    {
        using var flat = new Mat(30, 34, MatType.CV_8UC3, new Scalar(40, 90, 200));
        var image = TestImage.Encode(flat, ".png");
        using var plain = await Client.PostAsync("/api/v1/upscale", Http.Form(image, "e.png", ("scale", "2"), ("model", "esrgan-slim")));
        using var ensemble = await Client.PostAsync("/api/v1/upscale", Http.Form(image, "e.png", ("scale", "2"), ("model", "esrgan-slim"), ("ensemble", "true")));
        Assert.Equal(HttpStatusCode.OK, ensemble.StatusCode);
        Assert.Equal("miss", ensemble.Headers.GetValues("X-SuperRes-Cache").Single()); // not the plain result
        using var bad = await Client.PostAsync("/api/v1/upscale", Http.Form(image, "e.png", ("ensemble", "maybe")));
        Assert.True((await bad.Problem(400)).GetProperty("errors").TryGetProperty("ensemble", out _));
    }

    [Fact]
    public async Task Sync_upscale_returns_the_image_and_a_repeat_is_a_cache_hit()
    {
        using var first = await Client.PostAsync("/api/v1/upscale", Http.Form(Bird, "bird.png", ("scale", "2"), ("model", "esrgan-slim"), ("format", "png")));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("image/png", first.Content.Headers.ContentType?.MediaType);
        using var image = TestImage.Decode(await first.Content.ReadAsByteArrayAsync());
        Assert.Equal(new Size(144, 144), image.Size());

        using var second = await Client.PostAsync("/api/v1/upscale", Http.Form(Bird, "other-name.png", ("scale", "2"), ("model", "esrgan-slim"), ("format", "png")));
        Assert.Equal("hit", second.Headers.GetValues("X-SuperRes-Cache").Single());
        Assert.Equal(await first.Content.ReadAsByteArrayAsync(), await second.Content.ReadAsByteArrayAsync());

        var metrics = await Client.GetStringAsync("/metrics");
        var hits = metrics.Split('\n').Single(l => l.StartsWith("superres_cache_lookups_total{result=\"hit\"}", StringComparison.Ordinal));
        Assert.Contains("# TYPE superres_cache_lookups_total counter", metrics); // a counter stays a counter on its way from the Meter
        Assert.True(double.Parse(hits.Split(' ')[1]) >= 1);
    }

    [Fact]
    public async Task Job_lifecycle_with_progress_events_and_result()
    {
        var baby = await File.ReadAllBytesAsync(TestPaths.Set5Lr("baby", 2)); // 256x256: several tiles
        using var submitted = await Client.PostAsync("/api/v1/jobs", Http.Form(baby, "baby.png", ("scale", "2"), ("model", "esrgan-slim")));
        Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
        var job = await submitted.Json();
        var id = job.GetProperty("id").GetString()!;
        Assert.Matches("^[0-9a-f]{32}$", id); // 128 random bits
        Assert.Equal($"/api/v1/jobs/{id}", submitted.Headers.Location?.OriginalString);
        Assert.Equal($"/api/v1/jobs/{id}/result", job.GetProperty("links").GetProperty("result").GetString());

        var events = await Http.FollowJobAsync(Client, id);
        var progress = events.Select(e => e.Data.GetProperty("progress").GetDouble()).ToList();
        Assert.Equal(progress.Order(), progress); // never goes backwards
        Assert.Equal("done", events[^1].Event);
        Assert.Equal("succeeded", events[^1].Data.GetProperty("status").GetString());
        Assert.Equal(1.0, progress[^1]);

        var status = await (await Client.GetAsync($"/api/v1/jobs/{id}")).Json();
        Assert.True(status.GetProperty("runSeconds").GetDouble() > 0);
        using var result = await Client.GetAsync($"/api/v1/jobs/{id}/result");
        Assert.Equal(HttpStatusCode.OK, result.StatusCode);
        using var image = TestImage.Decode(await result.Content.ReadAsByteArrayAsync());
        Assert.Equal(new Size(512, 512), image.Size());
    }

    [Fact]
    public async Task Job_result_equals_the_cli_output_for_the_same_input_and_model()
    {
        var path = TestPaths.Set5Lr("butterfly", 3); // 85x85
        using var submitted = await Client.PostAsync("/api/v1/jobs", Http.Form(await File.ReadAllBytesAsync(path), "butterfly.png", ("scale", "3"), ("model", "esrgan-slim"), ("format", "png")));
        var id = (await submitted.Json()).GetProperty("id").GetString()!;
        Assert.Equal("succeeded", (await Http.WaitForJobAsync(Client, id)).GetProperty("status").GetString());
        using var fromApi = TestImage.Decode(await Client.GetByteArrayAsync($"/api/v1/jobs/{id}/result"));

        var outFile = Path.Combine(Path.GetTempPath(), $"superres-cli-{Guid.NewGuid():N}.png");
        try
        {
            var cli = await CliRun.Start("upscale", path, "-o", outFile, "-s", "3", "-m", "esrgan-slim");
            Assert.True(cli.ExitCode == 0, cli.Stderr);
            using var fromCli = TestImage.Read(outFile);
            Assert.Equal(fromCli.Size(), fromApi.Size());
            using var diff = new Mat();
            Cv2.Absdiff(fromCli, fromApi, diff);
            Assert.Equal(0, Cv2.CountNonZero(diff.Reshape(1)));
        }
        finally
        {
            File.Delete(outFile);
        }
    }

    [Fact]
    public async Task Heic_and_avif_uploads_come_back_as_jpeg_and_avif()
    {
        using var heic = await Client.PostAsync("/api/v1/upscale", Http.Form(PhonePhotos.Heic(), "IMG_0001.HEIC", ("model", "esrgan-slim"), ("scale", "2")));
        Assert.Equal(HttpStatusCode.OK, heic.StatusCode);
        Assert.Equal("image/jpeg", heic.Content.Headers.ContentType?.MediaType);
        using (var image = TestImage.Decode(await heic.Content.ReadAsByteArrayAsync()))
        {
            Assert.Equal(new Size(192, 192), image.Size());
        }
        using var submit = await Client.PostAsync("/api/v1/jobs", Http.Form(PhonePhotos.Avif(), "bird.avif", ("model", "esrgan-slim"), ("scale", "2")));
        var id = (await submit.Json()).GetProperty("id").GetString()!;
        Assert.Equal("succeeded", (await Http.WaitForJobAsync(Client, id)).GetProperty("status").GetString());
        using var result = await Client.GetAsync($"/api/v1/jobs/{id}/result");
        Assert.Equal("image/avif", result.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Unknown_job_is_404_with_a_problem_body()
    {
        foreach (var url in new[] { "/api/v1/jobs/00000000000000000000000000000000", "/api/v1/jobs/nope/result", "/api/v1/jobs/nope/events" })
        {
            await (await Client.GetAsync(url)).Problem(404);
        }
        await (await Client.DeleteAsync("/api/v1/jobs/nope")).Problem(404);
    }

    [Fact]
    public async Task Corrupt_and_unsupported_images_are_refused()
    {
        var unsupported = await (await Client.PostAsync("/api/v1/jobs", Http.Form("GIF89a....."u8.ToArray(), "x.gif"))).Problem(415);
        Assert.Contains("PNG, JPEG, WebP, TIFF or BMP", unsupported.GetProperty("detail").GetString());
        await (await Client.PostAsync("/api/v1/upscale", Http.Form([], "empty.png"))).Problem(422);

        // A truncated PNG passes the header check; the job then fails with 422 and says why.
        var truncated = Bird.AsSpan(0, Bird.Length / 2).ToArray();
        await (await Client.PostAsync("/api/v1/upscale", Http.Form(truncated, "t.png", ("model", "esrgan-slim"), ("scale", "2")))).Problem(422);
        using var submitted = await Client.PostAsync("/api/v1/jobs", Http.Form(truncated, "t.png", ("model", "esrgan-slim"), ("scale", "2")));
        var id = (await submitted.Json()).GetProperty("id").GetString()!;
        var final = await Http.WaitForJobAsync(Client, id);
        Assert.Equal("failed", final.GetProperty("status").GetString());
        Assert.Equal(422, final.GetProperty("errorStatus").GetInt32());
        await (await Client.GetAsync($"/api/v1/jobs/{id}/result")).Problem(409);
    }

    [Fact]
    public async Task Bad_parameters_are_400_with_the_field_named()
    {
        foreach (var (field, value) in new[] { ("scale", "9"), ("scale", "x"), ("model", "../../etc/passwd"), ("format", "gif"), ("quality", "0") })
        {
            var body = await (await Client.PostAsync("/api/v1/jobs", Http.Form(Bird, "b.png", (field, value)))).Problem(400);
            Assert.True(body.GetProperty("errors").TryGetProperty(field, out _), $"{field}={value} not reported");
        }
        await (await Client.PostAsync("/api/v1/jobs", new StringContent("not a form"))).Problem(400);
        var scale = await (await Client.PostAsync("/api/v1/upscale", Http.Form(Bird, "b.png", ("model", "esrgan-slim"), ("scale", "5")))).Problem(400);
        Assert.Contains("has no x5 model", scale.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Limits_give_413_and_422()
    {
        var big = new byte[3_200_000]; // over MaxUploadBytes
        Bird.CopyTo(big, 0);
        // The server answers 413 from the headers without reading the body, so the client asks first
        // (Expect: 100-continue, as curl does for large uploads) instead of pushing 3 MB into a closed socket.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/jobs") { Content = Http.Form(big, "big.png") };
        request.Headers.ExpectContinue = true;
        await (await Client.SendAsync(request)).Problem(413);

        using var large = new Mat(1500, 1500, MatType.CV_8UC3, Scalar.All(90)); // 2.25 MP > MaxMegapixels 2
        var png = TestImage.Encode(large, ".png");
        var tooLarge = await (await Client.PostAsync("/api/v1/jobs", Http.Form(png, "large.png"))).Problem(422);
        Assert.Contains("1500x1500", tooLarge.GetProperty("detail").GetString());

        using var medium = new Mat(700, 700, MatType.CV_8UC3, Scalar.All(90)); // 0.49 MP > SyncMaxMegapixels 0.3
        var mediumPng = TestImage.Encode(medium, ".png");
        var sync = await (await Client.PostAsync("/api/v1/upscale", Http.Form(mediumPng, "m.png"))).Problem(422);
        Assert.Contains("POST /api/v1/jobs", sync.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Openapi_document_and_reference_page_are_served_locally()
    {
        var doc = await (await Client.GetAsync("/openapi/v1.json")).Json();
        var paths = doc.GetProperty("paths");
        foreach (var p in new[] { "/api/v1/upscale", "/api/v1/jobs", "/api/v1/jobs/{id}", "/api/v1/jobs/{id}/result", "/api/v1/jobs/{id}/events", "/api/v1/models" })
        {
            Assert.True(paths.TryGetProperty(p, out _), p);
        }
        // The responses are the real ones: every image type an upscale can return, the job view, problem bodies.
        var upscale = paths.GetProperty("/api/v1/upscale").GetProperty("post").GetProperty("responses");
        var imageTypes = upscale.GetProperty("200").GetProperty("content").EnumerateObject().Select(c => c.Name).ToList();
        Assert.Superset(new HashSet<string> { "image/png", "image/jpeg", "image/webp", "image/tiff", "image/bmp" }, imageTypes.ToHashSet());
        Assert.True(upscale.GetProperty("422").GetProperty("content").TryGetProperty("application/problem+json", out _));
        var submitted = paths.GetProperty("/api/v1/jobs").GetProperty("post").GetProperty("responses").GetProperty("202").GetProperty("content");
        Assert.Contains("JobSnapshot", submitted.GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString());
        var page = await Client.GetStringAsync("/docs/index.html");
        Assert.Contains("swagger", page, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("https://", page);
    }

    [Fact]
    public async Task Metrics_expose_the_service_numbers_in_prometheus_format()
    {
        await Client.GetAsync("/healthz");
        var text = await Client.GetStringAsync("/metrics");
        foreach (var name in new[] { "http_requests_received_total", "http_request_duration_seconds_bucket", "superres_queue_depth", "superres_model_load_seconds", "superres_memory_budget_bytes", "process_working_set_bytes" })
        {
            Assert.Contains(name, text);
        }
    }

    [Fact]
    public async Task Web_page_is_served_with_no_outside_resources()
    {
        var html = await Client.GetStringAsync("/");
        Assert.Contains("<title>SuperRes</title>", html);
        foreach (var asset in new[] { "/app.js", "/app.css" })
        {
            var text = await Client.GetStringAsync(asset);
            Assert.DoesNotContain("https://", text);
        }
        Assert.DoesNotContain("https://", html);
    }
}
