using System.Net;
using OpenCvSharp;

namespace SuperRes.Server.Tests;

/// <summary>Back-pressure, cancellation and expiry, on a server with a one-job queue and a one-second job lifetime.</summary>
public class LimitsTests : IAsyncLifetime
{
    private ServerInstance server = null!;

    private HttpClient Client => server.Client;

    public async Task InitializeAsync() => server = await ServerInstance.StartAsync(
        "Jobs:QueueCapacity=1", "Jobs:Workers=1", "Limits:SyncConcurrency=1", "Limits:SyncMaxMegapixels=1", "Jobs:TimeToLive=00:00:01", "Jobs:SweepInterval=00:00:00.2");

    public async Task DisposeAsync() => await server.DisposeAsync();

    /// <summary>A photo-like image that takes the model a few seconds.</summary>
    private static byte[] SlowImage(int size)
    {
        using var small = TestImage.ReadColour(TestPaths.Set5("baby"));
        using var big = new Mat();
        Cv2.Resize(small, big, new Size(size, size));
        var png = TestImage.Encode(big, ".png");
        return png;
    }

    private async Task<string> SubmitAsync(byte[] image, params (string, string)[] fields)
    {
        using var response = await Client.PostAsync("/api/v1/jobs", Http.Form(image, "x.png", fields));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Json()).GetProperty("id").GetString()!;
    }

    /// <summary>Reads the job's event stream until the worker has started it.</summary>
    private async Task WaitUntilRunningAsync(string id)
    {
        using var response = await Client.GetAsync($"/api/v1/jobs/{id}/events", HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal) && line.Contains("\"status\":\"running\"", StringComparison.Ordinal))
            {
                return;
            }
        }
        throw new InvalidOperationException($"Job {id} finished without being seen running.");
    }

    [Fact]
    public async Task Full_queue_answers_429_with_retry_after_and_cancel_stops_jobs()
    {
        var running = await SubmitAsync(SlowImage(900), ("model", "esrgan-medium"), ("scale", "4"));
        await WaitUntilRunningAsync(running);
        var queued = await SubmitAsync(SlowImage(300), ("model", "esrgan-slim"), ("scale", "2"));

        using var refused = await Client.PostAsync("/api/v1/jobs", Http.Form(SlowImage(200), "x.png", ("model", "esrgan-slim"), ("scale", "2")));
        var problem = await refused.Problem(429);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Contains("queue is full", problem.GetProperty("detail").GetString());

        // Cancel both: the queued one never runs, the running one stops.
        Assert.Equal("canceled", (await (await Client.DeleteAsync($"/api/v1/jobs/{queued}")).Json()).GetProperty("status").GetString());
        Assert.Equal("canceled", (await (await Client.DeleteAsync($"/api/v1/jobs/{running}")).Json()).GetProperty("status").GetString());
        var final = await Http.WaitForJobAsync(Client, running);
        Assert.Equal("canceled", final.GetProperty("status").GetString());
        await (await Client.GetAsync($"/api/v1/jobs/{running}/result")).Problem(409);

        // The worker is free again: a new job runs to the end.
        var next = await SubmitAsync(SlowImage(64), ("model", "esrgan-slim"), ("scale", "2"));
        Assert.Equal("succeeded", (await Http.WaitForJobAsync(Client, next)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Finished_jobs_expire_with_their_results()
    {
        var id = await SubmitAsync(SlowImage(48), ("model", "esrgan-slim"), ("scale", "2"));
        Assert.Equal("succeeded", (await Http.WaitForJobAsync(Client, id)).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync($"/api/v1/jobs/{id}/result")).StatusCode);

        // Lifetime 1 s, swept every 0.2 s: gone within a few seconds.
        var deadline = DateTime.UtcNow.AddSeconds(15);
        HttpStatusCode status;
        do
        {
            status = (await Client.GetAsync($"/api/v1/jobs/{id}")).StatusCode;
        }
        while (status == HttpStatusCode.OK && DateTime.UtcNow < deadline && await Delay());
        Assert.Equal(HttpStatusCode.NotFound, status);
        await (await Client.GetAsync($"/api/v1/jobs/{id}/result")).Problem(404);
    }

    [Fact]
    public async Task Sync_endpoint_is_bounded_and_a_client_disconnect_cancels_its_work()
    {
        const string misses = "superres_cache_lookups_total{result=\"miss\"}", disconnects = "superres_rejected_total{reason=\"client_disconnected\"}";
        double missesBefore = await MetricAsync(misses), disconnectsBefore = await MetricAsync(disconnects);
        var slow = SlowImage(600);
        using var cts = new CancellationTokenSource();
        // In its 8 orientations (ensemble): long enough to still hold the slot when the second request comes, int8 or not.
        var first = Client.PostAsync("/api/v1/upscale", Http.Form(slow, "slow.png", ("model", "esrgan-medium"), ("scale", "4"), ("ensemble", "true")), cts.Token);
        await WaitForMetricAsync(misses, missesBefore + 1); // the first request holds the only slot

        using var second = await Client.PostAsync("/api/v1/upscale", Http.Form(SlowImage(40), "b.png", ("model", "esrgan-slim"), ("scale", "2")));
        if (second.StatusCode != HttpStatusCode.TooManyRequests && first.IsCompleted)
        {
            // The slot was free again: say how the first request ended, which is what went wrong.
            using var ended = await first;
            Assert.Fail($"the second request got {(int)second.StatusCode} after the first ended with {(int)ended.StatusCode}: {await ended.Content.ReadAsStringAsync()}");
        }
        await second.Problem(429);

        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        await WaitForMetricAsync(disconnects, disconnectsBefore + 1);
        using var third = await Client.PostAsync("/api/v1/upscale", Http.Form(SlowImage(40), "c.png", ("model", "esrgan-slim"), ("scale", "2")));
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
    }

    private async Task<double> MetricAsync(string series)
    {
        var line = (await Client.GetStringAsync("/metrics")).Split('\n').FirstOrDefault(l => l.StartsWith(series + " ", StringComparison.Ordinal));
        return line is null ? 0 : double.Parse(line.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task WaitForMetricAsync(string series, double atLeast)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (await MetricAsync(series) >= atLeast)
            {
                return;
            }
            await Delay();
        }
        throw new TimeoutException($"{series} did not reach {atLeast}. The server's last warnings and errors:{Environment.NewLine}{server.RecentLog()}");
    }

    private static async Task<bool> Delay()
    {
        await Task.Delay(100);
        return true;
    }
}
