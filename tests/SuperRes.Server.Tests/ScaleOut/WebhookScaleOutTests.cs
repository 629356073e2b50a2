using System.Net;
using System.Text.Json;

namespace SuperRes.Server.Tests.ScaleOut;

/// <summary>Webhooks across nodes: whichever node ends a job (a worker, or the API node a cancel reaches) sends its event, once.</summary>
public class WebhookScaleOutTests
{
    private static readonly string[] Settings =
        ["Webhooks:Secret=scale-out-webhook-secret-0123", "Webhooks:AllowedHosts:0=127.0.0.1", "Preload:0=esrgan-slim:2", "Threads=1", "Cache:MaxBytes=0"];

    [Fact]
    public async Task Each_job_event_reaches_the_receiver_once_with_two_workers_and_two_api_nodes()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var redis = await RedisServer.StartAsync();
        await using var apiA = await NodeProcess.StartApiAsync(redis.ConnectionString, Settings);
        await using var apiB = await NodeProcess.StartApiAsync(redis.ConnectionString, Settings);
        await using var worker1 = await NodeProcess.StartWorkerAsync(redis.ConnectionString, Settings);
        await using var worker2 = await NodeProcess.StartWorkerAsync(redis.ConnectionString, Settings);
        await Task.WhenAll(worker1.WaitForLogAsync("Ready"), worker2.WaitForLogAsync("Ready"));

        var ids = new List<string>();
        foreach (var (image, i) in new[] { "baby", "bird", "butterfly", "head", "woman", "bird" }.Select((m, i) => (m, i)))
        {
            var api = i % 2 == 0 ? apiA.Client! : apiB.Client!;
            using var response = await api.PostAsync("/api/v1/jobs", Http.Form(File.ReadAllBytes(TestPaths.Set5Lr(image, 4)), image + ".png",
                ("model", "esrgan-slim"), ("scale", "2"), ("webhook", receiver.Url.ToString())));
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            ids.Add((await response.Json()).GetProperty("id").GetString()!);
        }
        foreach (var id in ids)
        {
            Assert.Equal("succeeded", (await Http.WaitForJobAsync(apiB.Client!, id)).GetProperty("status").GetString());
        }
        await receiver.WaitForAcceptedAsync(ids.Count).WaitAsync(TimeSpan.FromMinutes(1));

        var events = receiver.Received.Select(d =>
        {
            using var body = JsonDocument.Parse(d.Body);
            return (Id: body.RootElement.GetProperty("job").GetProperty("id").GetString(), Event: body.RootElement.GetProperty("event").GetString());
        }).ToList();
        Assert.All(ids, id => Assert.Single(events, e => e.Id == id && e.Event == "completed"));
        Assert.Equal(ids.Count, events.Count);
    }
}
