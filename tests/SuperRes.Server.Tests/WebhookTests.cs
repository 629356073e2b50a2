using System.Net;
using System.Text.Json;
using SuperRes.Server.Jobs.Webhooks;

namespace SuperRes.Server.Tests;

/// <summary>Webhooks on job submit: signed deliveries, retries, the address policy, and bad requests.</summary>
public class WebhookTests
{
    private const string Secret = "webhook-test-secret-0123456789";

    private static byte[] Bird => File.ReadAllBytes(TestPaths.Set5Lr("bird", 4));

    [Fact]
    public async Task A_delivery_is_signed_and_retried_after_500s_until_the_receiver_takes_it()
    {
        await using var receiver = await WebhookReceiver.StartAsync(failFirst: 2);
        await using var server = await ServerInstance.StartAsync($"Webhooks:Secret={Secret}", "Webhooks:AllowedHosts:0=127.0.0.1", "Webhooks:RetryDelay=00:00:00.050");

        var id = await SubmitAsync(server, ("webhook", receiver.Url.ToString()), ("webhook_events", "completed"));
        var delivery = await receiver.FirstAccepted.WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal([500, 500, 200], receiver.Received.Select(d => d.StatusGiven));
        Assert.All(receiver.Received, d => Assert.True(WebhookSignature.Verify(Secret, d.Signature!, receiver.Url, d.Body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5))));
        Assert.False(WebhookSignature.Verify("another-secret-0123456789", delivery.Signature!, receiver.Url, delivery.Body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));
        // Bound to the URL: the same delivery replayed to another receiver does not verify there.
        Assert.False(WebhookSignature.Verify(Secret, delivery.Signature!, new Uri("https://tenant-b.example/hook"), delivery.Body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));
        using var body = JsonDocument.Parse(delivery.Body);
        Assert.Equal("completed", body.RootElement.GetProperty("event").GetString());
        Assert.Equal(id, body.RootElement.GetProperty("job").GetProperty("id").GetString());
        Assert.Equal("succeeded", body.RootElement.GetProperty("job").GetProperty("status").GetString());

        var webhook = await WebhookStateAsync(server, id, s => s != "pending");
        Assert.Equal(("delivered", 3), (webhook.GetProperty("status").GetString(), webhook.GetProperty("attempts").GetInt32()));
    }

    [Fact]
    public async Task A_target_on_an_internal_address_is_refused_and_the_job_says_so()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var server = await ServerInstance.StartAsync($"Webhooks:Secret={Secret}"); // loopback not allowed

        var id = await SubmitAsync(server, ("webhook", receiver.Url.ToString()));

        var webhook = await WebhookStateAsync(server, id, s => s != "pending");
        Assert.Equal("refused", webhook.GetProperty("status").GetString());
        Assert.Contains("internal address", webhook.GetProperty("detail").GetString());
        Assert.DoesNotContain("127.0.0.1 resolves to 127", webhook.GetProperty("detail").GetString()); // the host, never what it resolved to
        Assert.Empty(receiver.Received);
    }

    [Fact]
    public async Task Eight_dead_receivers_do_not_delay_a_live_one()
    {
        // Dead receivers accept the connection and never answer: each attempt hangs until the 10 s time-out. They
        // sit on their own loopback addresses (hosts), as receivers on other machines would.
        var dead = Enumerable.Range(2, 8).Select(i => new System.Net.Sockets.TcpListener(IPAddress.Parse($"127.0.0.{i}"), 0)).ToList();
        dead.ForEach(l => l.Start());
        var held = new List<System.Net.Sockets.TcpClient>();
        var accepting = dead.Select(l => Task.Run(async () =>
        {
            while (true)
            {
                var client = await l.AcceptTcpClientAsync();
                lock (held)
                {
                    held.Add(client);
                }
            }
        })).ToList();
        await using var live = await WebhookReceiver.StartAsync();
        string[] hosts = [.. Enumerable.Range(1, 9).Select(i => $"AllowedWebhookHosts:{i - 1}=127.0.0.{i}")];
        await using var server = await ServerInstance.StartAsync([$"Webhooks:Secret={Secret}", .. hosts, "Webhooks:Timeout=00:00:10"]);
        try
        {
            foreach (var listener in dead)
            {
                var endpoint = (IPEndPoint)listener.LocalEndpoint;
                await SubmitAsync(server, ("webhook", $"http://{endpoint.Address}:{endpoint.Port}/hook"));
            }
            var id = await SubmitAsync(server, ("webhook", live.Url.ToString()));
            var finished = (await (await server.Client.GetAsync($"/api/v1/jobs/{id}")).Json()).GetProperty("finishedAt").GetDateTimeOffset();
            await live.FirstAccepted.WaitAsync(TimeSpan.FromSeconds(30));
            var delay = live.FirstAcceptedAt - finished;
            Assert.True(delay < TimeSpan.FromSeconds(1), $"the live receiver got its event {delay.TotalSeconds:0.00} s after its job finished");
        }
        finally
        {
            dead.ForEach(l => l.Stop());
            lock (held)
            {
                held.ForEach(c => c.Dispose());
            }
        }
    }

    [Fact]
    public async Task A_receiver_that_answers_with_a_huge_body_is_not_read_past_its_status()
    {
        await using var receiver = await WebhookReceiver.StartAsync(answerBytes: 512 << 20); // half a gigabyte if anyone read it
        await using var server = await ServerInstance.StartAsync($"Webhooks:Secret={Secret}", "Webhooks:AllowedHosts:0=127.0.0.1");
        var id = await SubmitAsync(server, ("webhook", receiver.Url.ToString()));
        var webhook = await WebhookStateAsync(server, id, s => s != "pending");
        Assert.Equal("delivered", webhook.GetProperty("status").GetString());
    }

    [Fact]
    public async Task An_idempotency_key_resent_with_another_webhook_is_another_request()
    {
        await using var server = await ServerInstance.StartAsync($"Webhooks:Secret={Secret}", "Webhooks:AllowedHosts:0=127.0.0.1");
        async Task<HttpResponseMessage> Submit(string hook)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/jobs")
            {
                Content = Http.Form(Bird, "bird.png", ("scale", "2"), ("model", "esrgan-slim"), ("webhook", hook)),
            };
            request.Headers.Add("Idempotency-Key", "one-key");
            return await server.Client.SendAsync(request);
        }
        using var first = await Submit("http://127.0.0.1:9/a");
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        using var again = await Submit("http://127.0.0.1:9/b");
        Assert.Contains("different", (await again.Problem(422)).GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData(Secret, "ftp://example.org/hook", "absolute http or https URL")]
    [InlineData(Secret, "http://example.org/hook", "webhook_events takes completed, failed and progress")]
    [InlineData(null, "http://example.org/hook", "no WebhookSecret")]
    public async Task A_webhook_the_server_cannot_honour_is_a_400_saying_why(string? secret, string url, string expected)
    {
        await using var server = secret is null ? await ServerInstance.StartAsync() : await ServerInstance.StartAsync($"Webhooks:Secret={secret}");
        var fields = expected.Contains("events") ? new[] { ("webhook", url), ("webhook_events", "finished") } : new[] { ("webhook", url) };
        using var response = await server.Client.PostAsync("/api/v1/jobs", Http.Form(Bird, "bird.png", [("scale", "2"), ("model", "esrgan-slim"), .. fields]));
        var problem = await response.Problem(400);
        Assert.Contains(expected, problem.GetProperty("detail").GetString());
    }

    private static async Task<string> SubmitAsync(ServerInstance server, params (string, string)[] fields)
    {
        using var response = await server.Client.PostAsync("/api/v1/jobs", Http.Form(Bird, "bird.png", [("scale", "2"), ("model", "esrgan-slim"), .. fields]));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.Json()).GetProperty("id").GetString()!;
        Assert.Equal("succeeded", (await Http.WaitForJobAsync(server.Client, id)).GetProperty("status").GetString());
        return id;
    }

    /// <summary>The job's webhook state once it satisfies <paramref name="done"/> (the outcome is recorded after the delivery).</summary>
    private static async Task<JsonElement> WebhookStateAsync(ServerInstance server, string id, Func<string, bool> done)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (true)
        {
            var webhook = (await (await server.Client.GetAsync($"/api/v1/jobs/{id}")).Json()).GetProperty("webhook");
            if (done(webhook.GetProperty("status").GetString()!) || DateTime.UtcNow > deadline)
            {
                return webhook;
            }
            await Task.Delay(50);
        }
    }
}
