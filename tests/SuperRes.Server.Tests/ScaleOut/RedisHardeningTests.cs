using System.Net;
using OpenCvSharp;

namespace SuperRes.Server.Tests.ScaleOut;

/// <summary>Redis mode under faults: a job that kills its workers ends, an expired job frees its place, a failing payload folder stops nothing.</summary>
public class RedisHardeningTests
{
    private static byte[] Png(int size)
    {
        using var small = TestImage.ReadColour(TestPaths.Set5("baby"));
        using var big = new Mat();
        Cv2.Resize(small, big, new OpenCvSharp.Size(size, size));
        var png = TestImage.Encode(big, ".png");
        return png;
    }

    [Fact]
    public async Task A_job_that_kills_its_worker_every_time_fails_after_MaxAttempts()
    {
        await using var redis = await RedisServer.StartAsync();
        string[] workerSettings = ["Preload:0=esrgan-thick:3", "Threads=1", "Queue:Lease=00:00:02", "Queue:Heartbeat=00:00:00.3",
            "Queue:IdlePoll=00:00:00.3", "Queue:MaxAttempts=2"];
        await using var api = await NodeProcess.StartApiAsync(redis.ConnectionString, "Cache:MaxBytes=0");
        using var submitted = await api.Client!.PostAsync("/api/v1/jobs", Http.Form(Png(200), "poison.png", ("model", "esrgan-thick"), ("scale", "3")));
        Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
        var id = (await submitted.Json()).GetProperty("id").GetString()!;

        // Each worker that runs it dies (SIGKILL, as a crash in native code would end it): twice.
        for (int attempt = 1; attempt <= 2; attempt++)
        {
            await using var worker = await NodeProcess.StartWorkerAsync(redis.ConnectionString, workerSettings);
            await ScaleOutTests.WaitForJobRunningOnAsync(api.Client!, [id], worker.Identity);
            worker.Kill();
        }
        // The next worker to claim it gives it up instead of running it a third time.
        await using var last = await NodeProcess.StartWorkerAsync(redis.ConnectionString, workerSettings);
        var final = await Http.WaitForJobAsync(api.Client!, id);
        Assert.Equal("failed", final.GetProperty("status").GetString());
        Assert.Equal(422, final.GetProperty("errorStatus").GetInt32());
        Assert.Contains("started 2 times", final.GetProperty("error").GetString());
        Assert.Equal(2, final.GetProperty("attempts").GetInt32());
        await last.WaitForLogAsync($"Job {id} failed");

        // The worker goes on with other work.
        using var next = await api.Client!.PostAsync("/api/v1/jobs", Http.Form(File.ReadAllBytes(TestPaths.Set5Lr("bird", 3)), "bird.png", ("model", "esrgan-thick"), ("scale", "3")));
        var nextId = (await next.Json()).GetProperty("id").GetString()!;
        Assert.Equal("succeeded", (await Http.WaitForJobAsync(api.Client!, nextId)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_queued_job_that_expires_frees_its_place_in_the_queue()
    {
        await using var redis = await RedisServer.StartAsync();
        // No worker: jobs stay queued until their upload (and with it the job) expires after 2 s.
        await using var api = await NodeProcess.StartApiAsync(redis.ConnectionString, "Jobs:QueueCapacity=1", "Queue:PayloadTimeToLive=00:00:02");
        var image = File.ReadAllBytes(TestPaths.Set5Lr("bird", 3));
        using var first = await api.Client!.PostAsync("/api/v1/jobs", Http.Form(image, "a.png"));
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        var id = (await first.Json()).GetProperty("id").GetString()!;
        using (var full = await api.Client!.PostAsync("/api/v1/jobs", Http.Form(image, "b.png")))
        {
            await full.Problem(429);
        }

        // Redis expires the queued job; its place must come back (a counter of waiting jobs would keep it forever).
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await api.Client!.GetAsync($"/api/v1/jobs/{id}")).StatusCode != HttpStatusCode.NotFound)
        {
            Assert.True(DateTime.UtcNow < deadline, "the queued job never expired");
            await Task.Delay(100);
        }
        using var again = await api.Client!.PostAsync("/api/v1/jobs", Http.Form(image, "c.png"));
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
    }

    [Fact]
    public async Task A_failing_payload_folder_gives_503_and_stops_no_node()
    {
        await using var redis = await RedisServer.StartAsync();
        using var shared = new TempFolder();
        var folder = Path.Combine(shared.Path, "payloads");
        Directory.CreateDirectory(folder);
        string[] settings = ["Queue:PayloadDirectory=" + folder, "Preload:0=esrgan-slim:3", "Queue:IdlePoll=00:00:00.3", "Jobs:SweepInterval=00:00:00.2"];
        await using var api = await NodeProcess.StartApiAsync(redis.ConnectionString, settings);
        await using var worker = await NodeProcess.StartWorkerAsync(redis.ConnectionString, settings);
        var image = File.ReadAllBytes(TestPaths.Set5Lr("bird", 3));

        // The folder turns into a file: every read and write under it fails (as a lost mount would).
        Directory.Delete(folder, recursive: true);
        File.WriteAllText(folder, "not a folder");
        using (var refused = await api.Client!.PostAsync("/api/v1/jobs", Http.Form(image, "bird.png", ("model", "esrgan-slim"))))
        {
            var problem = await refused.Problem(503);
            Assert.Contains("storage", problem.GetProperty("detail").GetString());
        }
        using (var health = await api.Client!.GetAsync("/healthz"))
        {
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }

        File.Delete(folder);
        Directory.CreateDirectory(folder);
        using var accepted = await api.Client!.PostAsync("/api/v1/jobs", Http.Form(image, "bird.png", ("model", "esrgan-slim")));
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var id = (await accepted.Json()).GetProperty("id").GetString()!;
        Assert.Equal("succeeded", (await Http.WaitForJobAsync(api.Client!, id)).GetProperty("status").GetString());
        Assert.DoesNotContain("Application is shutting down", api.Log + worker.Log);
    }

    [Fact]
    public async Task An_idempotency_key_names_one_job_across_api_nodes()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var nodeA = await NodeProcess.StartApiAsync(redis.ConnectionString);
        await using var nodeB = await NodeProcess.StartApiAsync(redis.ConnectionString);
        var image = File.ReadAllBytes(TestPaths.Set5Lr("bird", 3));
        var ids = new List<string>();
        foreach (var node in new[] { nodeA, nodeB })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/jobs") { Content = Http.Form(image, "bird.png") };
            request.Headers.Add("Idempotency-Key", "order-1234");
            using var response = await node.Client!.SendAsync(request);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            ids.Add((await response.Json()).GetProperty("id").GetString()!);
        }
        Assert.Equal(ids[0], ids[1]);
    }

    [Fact]
    public async Task A_finished_result_outlasts_three_redis_pauses_and_the_job_succeeds_on_its_first_run()
    {
        await using var redis = await RedisServer.StartAsync();
        // One node, API and worker; a result big enough that writing it takes a moment; a lease longer than the pauses.
        await using var server = await ServerInstance.StartAsync($"Queue:Redis={redis.ConnectionString}", "Queue:Lease=00:00:30", "Jobs:Workers=1",
            "Limits:MaxUploadBytes=8000000");
        using var response = await server.Client.PostAsync("/api/v1/jobs",
            Http.Form(Png(700), "big.png", ("model", "esrgan-slim"), ("scale", "3"), ("format", "bmp")));
        var created = await response.Json();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode}: {created}");
        var id = created.GetProperty("id").GetString()!;
        // Once every tile is done, only the encoding and the result's write are left: pause Redis three times then.
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while ((await (await server.Client.GetAsync($"/api/v1/jobs/{id}")).Json()).GetProperty("progress").GetDouble() < 1 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
        for (int i = 0; i < 3; i++)
        {
            redis.Pause();
            await Task.Delay(TimeSpan.FromSeconds(5));
            redis.Resume();
            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }
        var final = await Http.WaitForJobAsync(server.Client, id);
        Assert.Equal("succeeded", final.GetProperty("status").GetString());
        Assert.Equal(1, final.GetProperty("attempts").GetInt32()); // an outage is not an attempt
        using var result = await server.Client.GetAsync($"/api/v1/jobs/{id}/result");
        Assert.Equal("image/bmp", result.Content.Headers.ContentType?.MediaType);
        Assert.True((await result.Content.ReadAsByteArrayAsync()).LongLength > 2100L * 2100 * 3); // the whole 2100x2100 picture
    }

    [Fact]
    public async Task A_full_redis_refuses_new_jobs_and_loses_no_queued_one()
    {
        // The configuration the README advises: noeviction, so Redis refuses writes when full rather than dropping keys.
        await using var redis = await RedisServer.StartAsync("--maxmemory", "3mb", "--maxmemory-policy", "noeviction");
        await using var server = await ServerInstance.StartAsync($"Queue:Redis={redis.ConnectionString}", "Jobs:Workers=1", "Jobs:QueueCapacity=200",
            "Clients:QueuedJobs=200", "Cache:MaxBytes=0");
        var accepted = new List<string>();
        int full = 0;
        for (int i = 0; i < 60 && full < 3; i++)
        {
            using var flat = new Mat(160, 160, MatType.CV_8UC3, Scalar.All(i)); // a new image each time: no cache, no dedup
            Cv2.Randn(flat, Scalar.All(128), Scalar.All(60));
            using var response = await server.Client.PostAsync("/api/v1/jobs", Http.Form(TestImage.Encode(flat, ".png"), "noise.png", ("model", "esrgan-slim"), ("scale", "2")));
            if (response.StatusCode == HttpStatusCode.Accepted)
            {
                accepted.Add((await response.Json()).GetProperty("id").GetString()!);
            }
            else
            {
                Assert.True((int)response.StatusCode is 507 or 503, $"got {(int)response.StatusCode}");
                full++;
            }
        }
        Assert.True(full > 0, "Redis never filled up");
        Assert.NotEmpty(accepted);
        // Every job that was accepted runs to its end: none was evicted from under the queue.
        foreach (var id in accepted)
        {
            var final = await Http.WaitForJobAsync(server.Client, id);
            Assert.Contains(final.GetProperty("status").GetString(), new[] { "succeeded", "failed" });
            if (final.GetProperty("status").GetString() == "failed")
            {
                Assert.Contains("Redis", final.GetProperty("error").GetString()); // a result Redis had no room for, said so
            }
        }
    }
}
