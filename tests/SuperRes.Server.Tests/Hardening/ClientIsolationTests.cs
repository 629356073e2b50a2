using System.Net;
using System.Net.Http.Headers;
using SuperRes.Server.Tests.ScaleOut;

namespace SuperRes.Server.Tests.Hardening;

/// <summary>
/// Two API keys on one server: each sees only its own jobs (every route, both queues), and one that floods the queue
/// or the result space leaves the other's jobs accepted and its results readable.
/// </summary>
public class ClientIsolationTests
{
    private static byte[] Bird => File.ReadAllBytes(TestPaths.Set5Lr("bird", 4));

    private static HttpClient As(ServerInstance server, string key)
    {
        var client = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromMinutes(3) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>A job with esrgan-slim at x2 unless <paramref name="fields"/> name another model or scale.</summary>
    private static async Task<string> SubmitAsync(HttpClient client, byte[] image, params (string Name, string Value)[] fields)
    {
        (string Name, string Value)[] defaults = [("model", "esrgan-slim"), ("scale", "2")];
        using var response = await client.PostAsync("/api/v1/jobs",
            Http.Form(image, "photo.png", [.. defaults.Where(d => !fields.Any(f => f.Name == d.Name)), .. fields]));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Json()).GetProperty("id").GetString()!;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_job_exists_only_for_the_key_that_made_it_on_every_route(bool redisQueue)
    {
        await using var redis = redisQueue ? await RedisServer.StartAsync() : null;
        string[] settings = ["Security:ApiKeys:0=owner-key-0123456789", "Security:ApiKeys:1=other-key-0123456789", .. redis is null ? Array.Empty<string>() : [$"Queue:Redis={redis.ConnectionString}"]];
        await using var server = await ServerInstance.StartAsync(settings);
        using var owner = As(server, "owner-key-0123456789");
        using var other = As(server, "other-key-0123456789");
        var id = await SubmitAsync(owner, Bird);
        Assert.Equal("succeeded", (await Http.WaitForJobAsync(owner, id)).GetProperty("status").GetString());

        (HttpMethod Method, string Path)[] routes =
        [
            (HttpMethod.Get, $"/api/v1/jobs/{id}"), (HttpMethod.Get, $"/api/v1/jobs/{id}/result"), (HttpMethod.Get, $"/api/v1/jobs/{id}/events"),
            (HttpMethod.Get, $"/result/{id}"), (HttpMethod.Delete, $"/api/v1/jobs/{id}"),
        ];
        foreach (var (method, path) in routes)
        {
            using var theirs = await other.SendAsync(new HttpRequestMessage(method, path));
            var problem = await theirs.Problem(404);
            Assert.DoesNotContain("owner", problem.GetProperty("detail").GetString()); // the same answer as an unknown id
            using var unknown = await other.SendAsync(new HttpRequestMessage(method, path.Replace(id, new string('0', 32))));
            Assert.Equal(problem.GetProperty("title").GetString(), (await unknown.Problem(404)).GetProperty("title").GetString());
        }
        // The other key's cancel changed nothing: the owner still reads its job and its result.
        using var mine = await owner.GetAsync($"/api/v1/jobs/{id}");
        Assert.Equal("succeeded", (await mine.Json()).GetProperty("status").GetString());
        using var result = await owner.GetAsync($"/api/v1/jobs/{id}/result");
        Assert.Equal(HttpStatusCode.OK, result.StatusCode);
    }

    [Fact]
    public async Task One_key_flooding_the_queue_and_the_result_space_leaves_the_other_key_served()
    {
        // Queue quota 4 of 8; results: 6 MB in all, 3 MB per key. The flood: cached jobs with large outputs.
        await using var server = await ServerInstance.StartAsync("Security:ApiKeys:0=flood-key-0123456789", "Security:ApiKeys:1=quiet-key-0123456789",
            "Jobs:QueueCapacity=8", "Jobs:Workers=1", "Jobs:ResultsMaxBytes=6000000", "Limits:MaxUploadBytes=3000000");
        using var flood = As(server, "flood-key-0123456789");
        using var quiet = As(server, "quiet-key-0123456789");

        var kept = await SubmitAsync(quiet, Bird, ("format", "bmp"));
        Assert.Equal("succeeded", (await Http.WaitForJobAsync(quiet, kept)).GetProperty("status").GetString());

        // The flood's first job holds the only worker (a heavy model in its 8 orientations) until it is cancelled
        // below, so the flood's later jobs wait whatever this machine's speed.
        using var busy = new OpenCvSharp.Mat(400, 400, OpenCvSharp.MatType.CV_8UC3);
        OpenCvSharp.Cv2.Randu(busy, OpenCvSharp.Scalar.All(0), OpenCvSharp.Scalar.All(255));
        var blocker = await SubmitAsync(flood, TestImage.Encode(busy, ".png"), ("model", "esrgan-medium"), ("scale", "4"), ("ensemble", "true"));

        // A large flat picture gives a large BMP (every job after the first is a cache hit): 2.5 MB each.
        using var flat = new OpenCvSharp.Mat(640, 640, OpenCvSharp.MatType.CV_8UC3, OpenCvSharp.Scalar.All(90));
        var big = TestImage.Encode(flat, ".png");
        var accepted = new List<string>();
        int refused = 0;
        for (int i = 0; i < 12; i++)
        {
            using var response = await flood.PostAsync("/api/v1/jobs", Http.Form(big, "big.png", ("model", "esrgan-slim"), ("scale", "2"), ("format", "bmp")));
            if (response.StatusCode == HttpStatusCode.Accepted)
            {
                accepted.Add((await response.Json()).GetProperty("id").GetString()!);
            }
            else
            {
                Assert.Contains("its share of the queue", (await response.Problem(429)).GetProperty("detail").GetString());
                refused++;
            }
        }
        Assert.True(refused > 0, "the flood never reached its quota");
        using (var cancel = await flood.DeleteAsync($"/api/v1/jobs/{blocker}"))
        {
            Assert.Equal("canceled", (await cancel.Json()).GetProperty("status").GetString());
        }

        // The quiet key still gets in while the flood's jobs wait, and runs.
        var during = await SubmitAsync(quiet, Bird);
        foreach (var id in accepted)
        {
            await Http.WaitForJobAsync(flood, id);
        }
        Assert.Equal("succeeded", (await Http.WaitForJobAsync(quiet, during)).GetProperty("status").GetString());

        // Its first result outlived the flood's results: they pushed out only their own.
        using var first = await quiet.GetAsync($"/api/v1/jobs/{kept}/result");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("image/bmp", first.Content.Headers.ContentType?.MediaType);
        using var floodFirst = await flood.GetAsync($"/api/v1/jobs/{accepted[0]}/result");
        Assert.Equal(HttpStatusCode.NotFound, floodFirst.StatusCode); // its own oldest went first
    }
}
