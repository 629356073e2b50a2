using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Options;
using SuperRes.Server.Jobs;
using SuperRes.Server.Settings;

namespace SuperRes.Server.Tests.ScaleOut;

/// <summary>
/// Several SuperRes processes sharing one real Redis: API nodes accept jobs, worker nodes run them. A worker
/// killed mid-job and a Redis restart mid-run must lose nothing, run nothing visibly twice, and give the
/// same bytes as an in-process run.
/// </summary>
public class ScaleOutTests
{
    private static readonly string[] Images = ["baby", "bird", "butterfly", "head", "woman"];

    // Short lease and heartbeat so a takeover happens within seconds; one inference thread per worker so two
    // workers share the two cores instead of fighting over them.
    private static readonly string[] WorkerSettings =
        ["Preload:0=esrgan-thick:3", "Threads=1", "Queue:Lease=00:00:04", "Queue:Heartbeat=00:00:00.5", "Queue:IdlePoll=00:00:00.5"];

    private static readonly string[] ApiSettings = ["Cache:MaxBytes=0", "Jobs:QueueCapacity=64"];

    [Fact]
    public async Task Twenty_jobs_through_two_api_nodes_and_two_workers_all_complete_once_when_a_worker_is_killed_mid_job()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var apiA = await NodeProcess.StartApiAsync(redis.ConnectionString, ApiSettings);
        await using var apiB = await NodeProcess.StartApiAsync(redis.ConnectionString, ApiSettings);
        await using var worker1 = await NodeProcess.StartWorkerAsync(redis.ConnectionString, WorkerSettings);
        await using var worker2 = await NodeProcess.StartWorkerAsync(redis.ConnectionString, WorkerSettings);
        await Task.WhenAll(worker1.WaitForLogAsync("Ready"), worker2.WaitForLogAsync("Ready"));
        var expected = await InProcessResultsAsync();

        var jobs = new List<(string Id, string Image, HttpClient SubmittedTo, HttpClient WatchedOn)>();
        for (int i = 0; i < 20; i++)
        {
            var (submit, watch) = i % 2 == 0 ? (apiA.Client!, apiB.Client!) : (apiB.Client!, apiA.Client!);
            var image = Images[i % Images.Length];
            using var response = await submit.PostAsync("/api/v1/jobs", Http.Form(File.ReadAllBytes(TestPaths.Set5Lr(image, 3)), image + ".png", ("model", "esrgan-thick"), ("scale", "3")));
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            jobs.Add(((await response.Json()).GetProperty("id").GetString()!, image, submit, watch));
        }
        // Every job is followed on the API node it was NOT submitted to: progress crosses nodes through Redis.
        var following = jobs.Select(j => Http.FollowJobAsync(j.WatchedOn, j.Id)).ToList();

        var victim = await WaitForJobRunningOnAsync(apiA.Client!, jobs.Select(j => j.Id), worker1.Identity);
        worker1.Kill();

        var streams = await Task.WhenAll(following);
        for (int i = 0; i < jobs.Count; i++)
        {
            var events = streams[i];
            Assert.Single(events, e => e.Event == "done");
            Assert.Equal("done", events[^1].Event);
            var final = events[^1].Data;
            Assert.Equal("succeeded", final.GetProperty("status").GetString());
            var progress = events.Select(e => e.Data.GetProperty("progress").GetDouble()).ToList();
            Assert.Equal(progress.Order(), progress); // never goes back, even across a takeover
            using var result = await jobs[i].SubmittedTo.GetAsync($"/api/v1/jobs/{jobs[i].Id}/result");
            Assert.Equal(HttpStatusCode.OK, result.StatusCode);
            Assert.Equal(expected[jobs[i].Image], await result.Content.ReadAsByteArrayAsync());
        }

        var taken = await (await apiB.Client!.GetAsync($"/api/v1/jobs/{victim}")).Json();
        Assert.Equal("succeeded", taken.GetProperty("status").GetString());
        Assert.Equal(worker2.Identity, taken.GetProperty("worker").GetString());
        Assert.True(taken.GetProperty("attempts").GetInt32() >= 2, "the killed worker's job was run again by the other worker");
        Assert.Contains($"Taking over job {victim}", worker2.Log);
        // Finished means finished: a late duplicate run could not have changed the recorded outcome.
        Assert.Equal(taken.GetProperty("finishedAt").GetString(), (await (await apiA.Client!.GetAsync($"/api/v1/jobs/{victim}")).Json()).GetProperty("finishedAt").GetString());
    }

    [Fact]
    public async Task Redis_stopped_and_started_again_mid_run_gives_503_meanwhile_and_loses_no_job()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var api = await NodeProcess.StartApiAsync(redis.ConnectionString, ApiSettings);
        await using var worker = await NodeProcess.StartWorkerAsync(redis.ConnectionString, WorkerSettings);
        await worker.WaitForLogAsync("Ready");
        var expected = await InProcessResultsAsync();
        var client = api.Client!;

        var ids = new List<(string Id, string Image)>();
        foreach (var image in Images)
        {
            using var response = await client.PostAsync("/api/v1/jobs", Http.Form(File.ReadAllBytes(TestPaths.Set5Lr(image, 3)), image + ".png", ("model", "esrgan-thick")));
            ids.Add(((await response.Json()).GetProperty("id").GetString()!, image));
        }
        await WaitForJobRunningOnAsync(client, ids.Select(i => i.Id), worker.Identity);

        await redis.StopAsync();
        using (var refused = await client.PostAsync("/api/v1/jobs", Http.Form(File.ReadAllBytes(TestPaths.Set5Lr("bird", 3)), "bird.png")))
        {
            var problem = await refused.Problem(503);
            Assert.Contains("Redis", problem.GetProperty("detail").GetString());
            Assert.True(refused.Headers.RetryAfter is not null, "503 says when to retry");
        }
        await (await client.GetAsync($"/api/v1/jobs/{ids[0].Id}")).Problem(503);
        await redis.StartAgainAsync();

        foreach (var (id, image) in ids)
        {
            var events = await FollowWhenReachableAsync(client, id);
            Assert.Equal("succeeded", events[^1].Data.GetProperty("status").GetString());
            Assert.Equal(expected[image], await client.GetByteArrayAsync($"/api/v1/jobs/{id}/result"));
        }
    }

    [Fact]
    public async Task Shared_cache_answers_on_another_node_and_payloads_can_live_in_a_shared_folder()
    {
        await using var redis = await RedisServer.StartAsync();
        using var shared = new TempFolder();
        string[] settings = ["Queue:PayloadDirectory=" + shared.Path, "Preload:0=esrgan-slim:3", "Jobs:QueueCapacity=8"];
        await using var nodeA = await NodeProcess.StartApiAsync(redis.ConnectionString, settings);
        await using var nodeB = await NodeProcess.StartApiAsync(redis.ConnectionString, settings);
        await using var worker = await NodeProcess.StartWorkerAsync(redis.ConnectionString, settings);
        var image = File.ReadAllBytes(TestPaths.Set5Lr("bird", 3));

        var first = await RunJobAsync(nodeA.Client!, image);
        Assert.False(first.GetProperty("cacheHit").GetBoolean());
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(shared.Path, "result")));

        var second = await RunJobAsync(nodeB.Client!, image);
        Assert.True(second.GetProperty("cacheHit").GetBoolean(), "node B's job was answered from the result node A's job stored");
        Assert.Equal(await nodeA.Client!.GetByteArrayAsync($"/api/v1/jobs/{first.GetProperty("id").GetString()}/result"),
            await nodeB.Client!.GetByteArrayAsync($"/api/v1/jobs/{second.GetProperty("id").GetString()}/result"));
        Assert.Empty(Directory.Exists(Path.Combine(shared.Path, "input")) ? Directory.GetFiles(Path.Combine(shared.Path, "input")) : []);
    }

    [Fact]
    public async Task Api_and_worker_roles_refuse_to_start_without_redis()
    {
        var run = await CliRun.Start(["worker"], new Dictionary<string, string> { ["SUPERRES__Queue__Redis"] = "" });
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("SUPERRES__Queue__Redis", Assert.Single(run.StderrLines));
    }

    private static async Task<JsonElement> RunJobAsync(HttpClient client, byte[] image)
    {
        using var response = await client.PostAsync("/api/v1/jobs", Http.Form(image, "bird.png", ("model", "esrgan-slim"), ("scale", "3")));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.Json()).GetProperty("id").GetString()!;
        return (await Http.FollowJobAsync(client, id))[^1].Data;
    }

    /// <summary>The bytes the in-process library gives for each test image: what every node must reproduce.</summary>
    private static async Task<Dictionary<string, byte[]>> InProcessResultsAsync()
    {
        using var upscaler = new Upscaler(new UpscalerOptions { ModelStore = TestPaths.ModelStore, Threads = 1 });
        var results = new Dictionary<string, byte[]>();
        foreach (var image in Images)
        {
            var r = await upscaler.UpscaleAsync(File.ReadAllBytes(TestPaths.Set5Lr(image, 3)), new UpscaleRequest { Model = "esrgan-thick", Scale = 3, TileSize = new ServerOptions().TileSize });
            results[image] = r.Data;
        }
        return results;
    }

    /// <summary>Polls job states until one is running on the given worker, less than half done (so it is still running a moment later); returns its id.</summary>
    internal static async Task<string> WaitForJobRunningOnAsync(HttpClient client, IEnumerable<string> ids, string worker)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (DateTime.UtcNow < deadline)
        {
            foreach (var id in ids)
            {
                var job = await (await client.GetAsync($"/api/v1/jobs/{id}")).Json();
                if (job.GetProperty("status").GetString() == "running" && job.GetProperty("worker").GetString() == worker
                    && job.GetProperty("progress").GetDouble() < 0.5)
                {
                    return id;
                }
            }
            await Task.Delay(20);
        }
        throw new TimeoutException($"No job started on {worker}.");
    }

    /// <summary>Follows a job's events, retrying while the API node is still reconnecting to Redis (503).</summary>
    private static async Task<List<(string Event, JsonElement Data)>> FollowWhenReachableAsync(HttpClient client, string id)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (true)
        {
            using var probe = await client.GetAsync($"/api/v1/jobs/{id}");
            if (probe.StatusCode != HttpStatusCode.ServiceUnavailable || DateTime.UtcNow > deadline)
            {
                Assert.Equal(HttpStatusCode.OK, probe.StatusCode);
                return await Http.FollowJobAsync(client, id);
            }
            await Task.Delay(100);
        }
    }
}
